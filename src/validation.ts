/** zod, with its messages in Italian: the people who read them edit an Italian election's data. */
import { z } from "zod";

z.config(z.locales.it());

export { z };
