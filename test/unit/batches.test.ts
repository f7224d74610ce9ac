/** How a termination is split into Box requests and summarized in state: the pure half of batches.ts. */
import { expect } from "chai";
import { planBatches, summarizeMessages } from "../../provider/core/batches";

describe("batching and messages (pure)", () => {
    it("splits users (IDs and logins together) and groups into requests of at most batchSize", () => {
        const batches = planBatches(
            { userIds: ["1", "2", "3"], userLogins: ["a@x.io", "b@x.io"], groupIds: ["7", "8", "9"] },
            2,
        );
        expect(batches).to.deep.equal([
            { endpoint: "users", principals: { userIds: ["1", "2"], userLogins: [], groupIds: [] } },
            { endpoint: "users", principals: { userIds: ["3"], userLogins: ["a@x.io"], groupIds: [] } },
            { endpoint: "users", principals: { userIds: [], userLogins: ["b@x.io"], groupIds: [] } },
            { endpoint: "groups", principals: { userIds: [], userLogins: [], groupIds: ["7", "8"] } },
            { endpoint: "groups", principals: { userIds: [], userLogins: [], groupIds: ["9"] } },
        ]);
        expect(planBatches({ userIds: [], userLogins: [], groupIds: [] }, 10)).to.deep.equal([]);
    });

    it("keeps Box's message for one request and says how many for several", () => {
        expect(summarizeMessages(["ok"])).to.equal("ok");
        expect(summarizeMessages(["ok", "ok", "ok"])).to.equal("ok (3 requests accepted)");
        expect(summarizeMessages(["ok", "other"])).to.equal("ok | other (2 requests accepted)");
    });

    it("never keeps more than 1,000 characters of what Box said, and keeps the count", () => {
        expect(summarizeMessages(["x".repeat(60_000)])).to.have.length(1000);
        const many = summarizeMessages(Array.from({ length: 200 }, (_, i) => `message ${i} `.repeat(20)));
        expect(many).to.have.length.at.most(1000);
        expect(many).to.match(/… \(200 requests accepted\)$/);
    });
});
