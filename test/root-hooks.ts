/**
 * Every test starts as a fresh provider process would: no `BOX_*` variables from the machine running
 * the suite, and no configured settings, cached tokens or 429 gates left by an earlier test.
 */
import { resetProcessState } from "../provider/process-state";

export const mochaHooks = {
    beforeEach(): void {
        for (const key of Object.keys(process.env)) {
            if (key.startsWith("BOX_")) delete process.env[key];
        }
        resetProcessState();
    },
};
