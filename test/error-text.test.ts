/** The text errors carry out of the provider: short principal lists and no secrets (pure). */
import { expect } from "chai";
import { redact } from "../provider/errors";
import { describePrincipals } from "../provider/partial-failure";

describe("error text (pure)", () => {
    it("describes long principal lists briefly", () => {
        const ids = Array.from({ length: 25 }, (_, i) => String(i));
        expect(describePrincipals({ userIds: ids, userLogins: [], groupIds: ["1"] }, 2)).to.equal(
            "userIds 0, 1 and 23 more; groupIds 1",
        );
    });

    it("redacts known secrets and bearer credentials from text", () => {
        expect(redact("token abcdefgh123 and Bearer zzzzzzzzzzzz", ["abcdefgh123"])).to.equal(
            "token [REDACTED] and Bearer [REDACTED]",
        );
    });
});
