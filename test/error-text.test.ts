/** The text errors carry out of the provider: short principal lists and no secrets (pure). */
import { expect } from "chai";
import { BoxApiError, redact } from "../provider/errors";
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

describe("Box's text in errors cannot forge what pulumi up prints", () => {
    it("turns control characters into spaces and keeps identifiers to identifier characters", () => {
        const err = new BoxApiError({
            status: 403,
            endpoint: "POST https://api.box.com/2.0/users/terminate_sessions",
            body: {
                code: "denied\u001b[2J",
                message: "no\nTerminated: everyone\u001b[31m",
                request_id: "r\n\u001b[2Jevil",
            },
        });
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        expect(err.message).to.not.match(/[\u0000-\u001f\u007f-\u009f]/);
        expect(err.message).to.match(
            /^Box API 403 denied2J: no Terminated: everyone \[31m \(request ID r2Jevil\)/,
        );
        expect(err.requestId).to.equal("r2Jevil");
    });
});
