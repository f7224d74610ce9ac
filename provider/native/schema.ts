/**
 * The package schema the plugin serves (GetSchema): schema/box.schema.json, generated from the
 * resource's TSDoc and the settings table by scripts/gen-schema.ts, shipped in the npm package.
 */
import * as fs from "fs";
import * as path from "path";

/** Where the schema lives: two folders up from this module, in source and in dist/ alike. */
export const SCHEMA_FILE = path.join(__dirname, "..", "..", "schema", "box.schema.json");

/** The schema as text, read once. */
let text: string | undefined;

/** The schema the plugin serves, as JSON text. */
export function schemaText(): string {
    text ??= fs.readFileSync(SCHEMA_FILE, "utf8");
    return text;
}
