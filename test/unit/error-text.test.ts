/** The text errors carry out of the provider: short principal lists and no secrets (pure). */
import { expect } from "chai";
import {
    BoxApiError,
    BoxDeadlineError,
    BoxError,
    BoxNetworkError,
    BoxOAuthError,
    BoxSettingsError,
} from "../../provider/core/errors";
import { redact } from "../../provider/core/safe-text";
import { ProtectedMemberError } from "../../provider/core/group-members";
import { TerminationIncompleteError } from "../../provider/core/partial-failure";
import { TerminationRefusedError } from "../../provider/core/refusal";
import { RevocationsFileError } from "../../provider/revocations";
import { describePrincipals } from "../../provider/core/partial-failure";
import { providerCarry } from "../../provider/dynamic/partial-record";

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

describe("one error base type", () => {
    const api = new BoxApiError({
        status: 404,
        endpoint: "POST /2.0/users/terminate_sessions",
        body: { code: "not_found", message: "Not Found", request_id: "abc123" },
    });
    const none = { userIds: [], userLogins: [], groupIds: [] };
    const errors: [Error, { status?: number; code?: string; requestId?: string }][] = [
        [api, { status: 404, code: "not_found", requestId: "abc123" }],
        [new BoxOAuthError({ status: 400, error: "invalid_grant" }), { status: 400, code: "invalid_grant" }],
        [new BoxNetworkError({ kind: "timeout", endpoint: "POST x", detail: "no answer" }), {}],
        [new BoxDeadlineError({ reason: "late", endpoint: "POST x", attempts: 1 }), {}],
        [new BoxSettingsError("box:baseUrl is not a URL"), {}],
        [new ProtectedMemberError("Refused: group 1 holds user 2"), {}],
        [new RevocationsFileError(["f: revocations[0].name is missing"]), {}],
        // A partial failure or a refusal carries the status, code and request ID of Box's answer behind it.
        [
            new TerminationIncompleteError({
                accepted: { ...none, userIds: ["1"] },
                notDone: { ...none, userIds: ["2"] },
                cause: api,
                id: "id-1",
                properties: { userIds: ["1"] },
                carry: providerCarry("exports.handler = undefined;"),
            }),
            { status: 404, code: "not_found", requestId: "abc123" },
        ],
        [
            new TerminationRefusedError({
                notDone: { ...none, userIds: ["2"] },
                refused: [],
                refusedEverything: false,
                tried: 1,
                firstRefusal: api,
            }),
            { status: 404, code: "not_found", requestId: "abc123" },
        ],
    ];

    it("every error this package throws is a BoxError with its name, message and the status, code and request ID it knows", () => {
        for (const [err, fields] of errors) {
            expect(err, err.name).to.be.instanceOf(BoxError);
            expect(err.message, err.name).to.not.equal("");
            expect(err.name).to.equal(err.constructor.name);
            const { status, code, requestId } = err as BoxError;
            expect({ status, code, requestId }, err.name).to.deep.equal({
                status: fields.status,
                code: fields.code,
                requestId: fields.requestId,
            });
            expect(JSON.parse(JSON.stringify(err)), err.name).to.include({
                name: err.name,
                message: err.message,
            });
            // Pulumi's closure serializer drops the prototype chain of a class with no method of its own.
            const own = Object.getOwnPropertyNames(Object.getPrototypeOf(err)).filter(
                (n) => n !== "constructor",
            );
            expect(own, `${err.name}'s own methods`).to.not.deep.equal([]);
        }
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
