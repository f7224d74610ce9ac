/**
 * Temporary directories the tests, demo and bench make, removed when the process exits: one exit
 * listener for all of them, since a suite makes dozens and Node warns past 30 listeners.
 */
import * as fs from "fs";

const dirs = new Set<string>();
process.once("exit", () => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Removes `dir` (recursively) when this process exits; returns it. */
export function removeOnExit(dir: string): string {
    dirs.add(dir);
    return dir;
}
