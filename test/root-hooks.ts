/**
 * Every test starts as a fresh provider process would: no `BOX_*` variables from the machine running
 * the suite, and no configured settings, cached tokens or 429 gates left by an earlier test. The
 * provider's retry lines (console.warn outside a Pulumi engine) are kept for the test to read instead
 * of cluttering the report.
 */
import { resetProcessState } from "../provider/core/process-state";

/** Warnings written during the current test. */
export const warnings: string[] = [];
const originalWarn = console.warn;

export const mochaHooks = {
    beforeEach(): void {
        for (const key of Object.keys(process.env)) {
            if (key.startsWith("BOX_")) delete process.env[key];
        }
        resetProcessState();
        warnings.length = 0;
        console.warn = (...args: unknown[]) => {
            warnings.push(args.map(String).join(" "));
        };
    },
    afterEach(): void {
        console.warn = originalWarn;
    },
};
