/**
 * The emulator command's arguments: parsed and checked here (pure), so the command itself only starts
 * the emulator and prints. Unknown flags and bad values are errors that name the flag.
 */
import type { EmulatorDirectory, Fault } from "./emulator";
import type { GroupMember } from "./directory";
import { faultProblems } from "./faults";

/** What `pulumi-box-emulator` was asked to do. */
export interface CliOptions {
    /** Print the usage and exit. */
    help: boolean;
    /** Port on 127.0.0.1; 0 picks a free one. */
    port: number;
    /** A fixed access token to accept and print, instead of a random one. */
    token?: string;
    /** Requests per second before 429 with retry-after. */
    rateLimit?: number;
    /** Register a Client Credentials app and print how to configure it. */
    ccg: boolean;
    /** Register a JWT app, write its config file here and print how to configure it. */
    jwtConfigFile?: string;
    /** Read the directory of known users and groups from this JSON file. */
    directoryFile?: string;
    /** Scripted faults, in order (each a JSON object, e.g. `{"status":429,"headers":{"retry-after":"2"}}`). */
    faults: Fault[];
}

/** The usage text `--help` prints. */
export const USAGE = `pulumi-box-emulator: a local Box API for trying and testing SessionTermination without a Box account.

Usage: pulumi-box-emulator [options]

  --port N            listen on 127.0.0.1:N (default: a free port)
  --token TOKEN       accept this access token (default: a random one); printed as BOX_ACCESS_TOKEN
  --rate-limit N      answer 429 with retry-after above N requests per second
  --ccg               register a Client Credentials Grant app and print its settings
  --jwt-config FILE   register a JWT app and write its Box config file to FILE
  --directory FILE    JSON {"userIds": [...], "userLogins": [...], "groupIds": [...]}: a request
                      naming anyone else is answered 404, as Box does; "groupMembers":
                      {"<group ID>": [{"id": "...", "login": "..."}]} lists each group's members
  --fault JSON        script the next matching answer, e.g. '{"status":503}' or
                      '{"path":"/2.0/users/terminate_sessions","status":429,"headers":{"retry-after":"2"}}';
                      repeat for several, used in order
  --help              print this and exit

It prints the variables to export, then every request as it arrives (never a credential). Ctrl-C stops.
`;

const FAULT_KEYS = ["path", "after", "status", "headers", "body", "delayMs", "drop", "afterEffect"];

function wholeNumber(flag: string, text: string | undefined, max: number): number {
    if (text === undefined || !/^\d+$/.test(text) || Number(text) > max) {
        throw new Error(
            `${flag} needs a whole number from 0 to ${max}, got ${text === undefined ? "nothing" : `"${text}"`}`,
        );
    }
    return Number(text);
}

function parseFault(text: string | undefined): Fault {
    let value: unknown;
    try {
        value = JSON.parse(text ?? "");
    } catch {
        throw new Error(`--fault needs a JSON object, got ${text === undefined ? "nothing" : `"${text}"`}`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value))
        throw new Error("--fault needs a JSON object");
    const unknown = Object.keys(value).filter((k) => !FAULT_KEYS.includes(k));
    if (unknown.length)
        throw new Error(`--fault: unknown field(s) ${unknown.join(", ")}; known: ${FAULT_KEYS.join(", ")}`);
    const problems = faultProblems(value as Fault);
    if (problems.length) throw new Error(`--fault: ${problems.join("; ")}`);
    return value as Fault;
}

/** Parses `argv` (without the node and script paths). Throws an error naming the flag at fault. */
export function parseCliOptions(argv: readonly string[]): CliOptions {
    const options: CliOptions = { help: false, port: 0, ccg: false, faults: [] };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = (): string | undefined => argv[++i];
        switch (flag) {
            case "--help":
            case "-h":
                options.help = true;
                break;
            case "--port":
                options.port = wholeNumber(flag, value(), 65535);
                break;
            case "--token": {
                const token = value();
                if (!token || !/^[A-Za-z0-9._~+/=-]{8,}$/.test(token))
                    throw new Error("--token needs at least 8 characters of A-Z a-z 0-9 . _ ~ + / = -");
                options.token = token;
                break;
            }
            case "--rate-limit":
                options.rateLimit = wholeNumber(flag, value(), 100_000) || undefined;
                break;
            case "--ccg":
                options.ccg = true;
                break;
            case "--jwt-config": {
                const file = value();
                if (!file) throw new Error("--jwt-config needs a file path");
                options.jwtConfigFile = file;
                break;
            }
            case "--directory": {
                const file = value();
                if (!file) throw new Error("--directory needs a file path");
                // One directory: quietly keeping the last of two would serve a directory nobody meant.
                if (options.directoryFile !== undefined)
                    throw new Error("--directory given twice; give one file");
                options.directoryFile = file;
                break;
            }
            case "--fault":
                options.faults.push(parseFault(value()));
                break;
            default:
                throw new Error(`unknown option ${JSON.stringify(flag)}; see --help`);
        }
    }
    return options;
}

/** Reads a directory file's JSON, naming the file and field at fault. */
export function parseDirectory(text: string, source: string): EmulatorDirectory {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new Error(`${source}: not valid JSON`);
    }
    if (!value || typeof value !== "object" || Array.isArray(value))
        throw new Error(`${source}: expected a JSON object`);
    const out: EmulatorDirectory = {};
    for (const [key, list] of Object.entries(value)) {
        if (key === "groupMembers") {
            out.groupMembers = parseGroupMembers(list, source);
            continue;
        }
        if (key !== "userIds" && key !== "userLogins" && key !== "groupIds")
            throw new Error(`${source}: ${key} is not one of userIds, userLogins, groupIds, groupMembers`);
        if (!Array.isArray(list) || list.some((v) => typeof v !== "string"))
            throw new Error(`${source}: ${key} must be a list of strings`);
        out[key] = list as string[];
    }
    return out;
}

/** `groupMembers`: `{"<group ID>": [{"id": "...", "login": "..."}]}`. */
function parseGroupMembers(value: unknown, source: string): Record<string, GroupMember[]> {
    if (!value || typeof value !== "object" || Array.isArray(value))
        throw new Error(`${source}: groupMembers must map group IDs to lists of {"id", "login"}`);
    const out: Record<string, GroupMember[]> = {};
    for (const [group, list] of Object.entries(value)) {
        const ok =
            Array.isArray(list) &&
            list.every(
                (m) =>
                    m &&
                    typeof m === "object" &&
                    typeof (m as GroupMember).id === "string" &&
                    typeof (m as GroupMember).login === "string",
            );
        if (!ok)
            throw new Error(
                `${source}: groupMembers.${group} must be a list of {"id": "...", "login": "..."}`,
            );
        Object.defineProperty(out, group, {
            value: list,
            enumerable: true,
            writable: true,
            configurable: true,
        });
    }
    return out;
}
