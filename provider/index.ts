/**
 * pulumi-box-session-termination: terminate Box user and group sessions from a Pulumi program.
 *
 * The emulator for tests lives in the `pulumi-box-session-termination/testing` entry point, so that
 * programs importing this one never load an HTTP server.
 */
export { SessionTermination, type SessionTerminationArgs } from "./dynamic/resource";
export type { Principals, SessionTerminationInputs, SessionTerminationOutputs } from "./core/types";
export {
    BoxError,
    BoxApiError,
    BoxDeadlineError,
    BoxNetworkError,
    BoxOAuthError,
    BoxSettingsError,
    type BoxErrorBody,
} from "./core/errors";
export { TerminationIncompleteError } from "./core/partial-failure";
export { TerminationRefusedError } from "./core/refusal";
export { ProtectedMemberError, type ProtectedMember } from "./core/group-members";
export type { RefusedPrincipal } from "./core/isolation-types";
