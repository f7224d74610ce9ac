/**
 * Writes schema/box.schema.json, the native provider's Pulumi package schema, from what users already
 * read: the TSDoc of `SessionTerminationArgs` and `SessionTermination` (provider/dynamic/resource.ts)
 * for the resource's inputs and outputs, and the settings table (provider/core/settings.ts) for the
 * provider's configuration. `npx ts-node scripts/gen-schema.ts` rewrites it; test/unit/native-values.test.ts
 * fails when the committed file differs from what this produces.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { SETTINGS } from "../provider/core/settings";
import { SCHEMA_FILE } from "../provider/native/schema";
import { NATIVE_TYPE as TYPE } from "../provider/tokens";

const RESOURCE = path.join(__dirname, "..", "provider", "dynamic", "resource.ts");

type Property = Record<string, unknown>;

/** Each member's TSDoc, by name, from the interface or class `name` in resource.ts. */
function docsOf(name: string): Map<string, string> {
    const source = ts.createSourceFile(
        RESOURCE,
        fs.readFileSync(RESOURCE, "utf8"),
        ts.ScriptTarget.ES2020,
        true,
    );
    const docs = new Map<string, string>();
    const visit = (node: ts.Node): void => {
        if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
            for (const member of node.members) {
                if (!member.name || !ts.isIdentifier(member.name)) continue;
                if (ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member)) continue;
                if (ts.isGetAccessorDeclaration(member)) continue;
                const comment = ts
                    .getJSDocCommentsAndTags(member)
                    .map((d) => ts.getTextOfJSDocComment((d as ts.JSDoc).comment) ?? "");
                docs.set(
                    member.name.text,
                    comment
                        .join("\n")
                        .replace(/\s*\n\s*/g, " ")
                        .trim(),
                );
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return docs;
}

const strings = (description: string): Property => ({
    type: "array",
    items: { type: "string" },
    description,
});

/** The schema type of each input and output. */
const SHAPES: Record<string, (description: string) => Property> = {
    userIds: strings,
    userLogins: strings,
    groupIds: strings,
    reason: (description) => ({ type: "string", description }),
    triggers: (description) => ({ type: "array", items: { $ref: "pulumi.json#/Any" }, description }),
    message: (description) => ({ type: "string", description }),
    terminatedAt: (description) => ({ type: "string", description }),
    requestIds: strings,
    requestCount: (description) => ({ type: "integer", description }),
};

function properties(names: string[], docs: Map<string, string>): Record<string, Property> {
    const out: Record<string, Property> = {};
    for (const name of names) {
        const doc = docs.get(name);
        if (!doc) throw new Error(`resource.ts has no TSDoc for ${name}`);
        out[name] = SHAPES[name](doc);
    }
    return out;
}

/**
 * The config variables: every setting, typed by its default, credentials secret. Defaults are told in
 * the description, never declared: an SDK would send a declared default as if the user had set it,
 * and a setting from another source than the credentials is refused (settings-origin.ts).
 */
function variables(): Record<string, Property> {
    const out: Record<string, Property> = {};
    for (const s of SETTINGS) {
        const type = s.defaultValue !== undefined && /^\d+$/.test(s.defaultValue) ? "integer" : "string";
        out[s.name] = {
            type,
            description: `${s.description}${s.defaultValue !== undefined ? ` Default: \`${s.defaultValue}\`.` : ""} Environment: \`${s.envVar}\`.`,
            ...(s.secret ? { secret: true } : {}),
        };
    }
    return out;
}

function packageVersion(): string {
    const file = path.join(__dirname, "..", "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** The whole schema. */
export function buildSchema(): Record<string, unknown> {
    const args = docsOf("SessionTerminationArgs");
    const outs = docsOf("SessionTermination");
    const inputs = ["userIds", "userLogins", "groupIds", "reason", "triggers"];
    const outputs = [...inputs, "message", "terminatedAt", "requestIds", "requestCount"];
    const config = variables();
    return {
        name: "box",
        displayName: "Box",
        // The SDKs' package versions (pyproject, go.mod's requirement) follow the npm package's.
        version: packageVersion(),
        // Each SDK is a package of its own (pyproject.toml, go.mod), installable from this repository.
        meta: { supportPack: true },
        description: "Terminate Box user and group sessions as code, recorded in Pulumi state.",
        keywords: ["pulumi", "box", "offboarding", "session", "identity"],
        license: "Apache-2.0",
        publisher: "pulumi-box-session-termination",
        config: { variables: config },
        provider: {
            description:
                "The box provider: one Box enterprise's origin and credentials (an explicit provider for each further enterprise).",
            inputProperties: config,
            properties: {},
        },
        resources: {
            [TYPE]: {
                description: [
                    "Ends the Box sessions of users (by ID or login) and of every member of groups, and records the revocation in Pulumi state.",
                    "Creating it terminates every listed principal's sessions; adding principals later terminates only the added ones; removing principals or changing `reason` sends nothing; changing `triggers` terminates everyone listed again. Deleting it sends nothing: Box cannot restore a terminated session.",
                ].join("\n\n"),
                inputProperties: properties(inputs, args),
                properties: properties(outputs, new Map([...args, ...outs])),
                required: ["userIds", "userLogins", "groupIds", "message", "terminatedAt"],
            },
        },
        language: {
            python: { packageName: "pulumi_box_session_termination" },
            go: {
                importBasePath: "github.com/pulumi-box-session-termination/sdk/go/box",
                generateResourceContainerTypes: false,
            },
            nodejs: { packageName: "@pulumi-box-session-termination/native" },
            csharp: { rootNamespace: "PulumiBoxSessionTermination" },
        },
    };
}

if (require.main === module) {
    // Written as Prettier formats it, so `npm run lint` passes on a fresh generation.
    void (async () => {
        const prettier = await import("prettier");
        const options = { ...(await prettier.resolveConfig(SCHEMA_FILE)), filepath: SCHEMA_FILE };
        fs.writeFileSync(SCHEMA_FILE, await prettier.format(JSON.stringify(buildSchema()), options));
        console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
    })();
}
