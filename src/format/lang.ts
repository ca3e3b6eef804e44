/** The interface's languages: Italian, and English for English-language clients. */
export type Lang = "it" | "en";
