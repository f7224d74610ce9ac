/**
 * pulumi-box-session-termination: terminate Box user and group sessions from a Pulumi program.
 *
 * The emulator for tests lives in the `pulumi-box-session-termination/testing` entry point, so that
 * programs importing this one never load an HTTP server.
 */
export { SessionTermination, type SessionTerminationArgs } from "./resource";
export type { Principals, SessionTerminationInputs, SessionTerminationOutputs } from "./types";
export {
    BoxError,
    BoxApiError,
    BoxDeadlineError,
    BoxNetworkError,
    BoxOAuthError,
    BoxSettingsError,
    type BoxErrorBody,
} from "./errors";
export { TerminationIncompleteError } from "./partial-failure";
export { TerminationRefusedError } from "./refusal";
export { ProtectedMemberError, type ProtectedMember } from "./group-members";
export type { RefusedPrincipal } from "./isolation-types";
export { SETTINGS, type SettingSpec, type SettingName } from "./settings";
export { VERSION } from "./version";
