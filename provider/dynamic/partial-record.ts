/**
 * What the dynamic resource records beside a partial result so that refresh and destroy still work:
 * its `__provider`, since the engine runs the RECORDED `__provider` for Read and Delete.
 */
import type { RecordCarry } from "../core/partial-failure";

/**
 * A provider module with only `read` and `delete`, recorded as `__provider` when the real one is too
 * large to travel with a partial result (a provider copied by value is about 190 KB). After a partial
 * failure the engine calls the recorded `__provider` only for Read (refresh) and Delete (destroy,
 * removal), and this provider's own read and delete send nothing to Box and return state as it is,
 * exactly as these do. Check, Diff, Create and Update always load the program's `__provider`, so the
 * next successful update writes the real one back.
 */
export const READ_DELETE_PROVIDER =
    "exports.handler = function () { return { " +
    "read: async function (id, props) { return { id: id, props: props }; }, " +
    "delete: async function () {} }; };\n";

/** What every partial result of the dynamic resource records, however small it must be. */
export const LEAST_CARRY: RecordCarry["least"] = { __provider: READ_DELETE_PROVIDER };

/** The program's `__provider` when it fits, else the stand-in. */
export function providerCarry(providerText: unknown): RecordCarry {
    return {
        full: typeof providerText === "string" ? { __provider: providerText } : undefined,
        least: LEAST_CARRY,
    };
}
