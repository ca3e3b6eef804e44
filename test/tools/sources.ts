/**
 * Where the reference data sits: beside the project (../shared/data-sources), or where
 * DATA_SOURCES_DIR says. Tests that compare the shipped pack with its sources run only where it is.
 */
import { existsSync } from "node:fs";
import path from "node:path";

export const SOURCES = process.env.DATA_SOURCES_DIR ?? path.join("..", "shared", "data-sources");
export const HAVE_SOURCES = existsSync(path.join(SOURCES, "capoluoghi-2017", "capoluoghi-2017.json"));
