/**
 * The example CI workflow users copy: a queued pull-request preview must never cancel or hold up the
 * `pulumi up` of a merged revocation (issue 23 item 4), and it must assume nothing a copy lacks.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..", "..");
const WORKFLOW = path.join(ROOT, "examples", "gitops", ".github", "workflows", "revocations.yml");

interface Job {
    concurrency?: { group: string; "cancel-in-progress": boolean };
    steps: Array<{ run?: string }>;
}

describe("examples/gitops workflow", () => {
    const workflow = parse(fs.readFileSync(WORKFLOW, "utf8")) as {
        concurrency?: unknown;
        jobs: Record<string, Job>;
    };

    it("gives the apply job a concurrency group of its own that no preview joins, never cancelled", () => {
        expect(workflow.concurrency, "a workflow-wide group lets a preview cancel a pending up").to.equal(
            undefined,
        );
        const { up, preview } = workflow.jobs;
        expect(up.concurrency).to.deep.equal({
            group: "box-revocations-apply-prod",
            "cancel-in-progress": false,
        });
        expect(preview.concurrency?.group).to.match(/pull_request\.number/);
        expect(preview.concurrency?.group).to.not.equal(up.concurrency?.group);
    });

    it("runs npm ci, whose lock file the README tells a copied project to create and commit", () => {
        for (const job of Object.values(workflow.jobs))
            expect(job.steps.map((s) => s.run)).to.include.members(["npm ci"]);
        const readme = fs.readFileSync(path.join(ROOT, "examples", "gitops", "README.md"), "utf8");
        expect(readme).to.include("npm install pulumi-box-session-termination@^0.1.0");
        expect(readme).to.include("git add package.json package-lock.json");
    });
});
