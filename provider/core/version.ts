/** This package's version, sent in the User-Agent; a unit test keeps it equal to package.json's. */
export const VERSION = "0.1.0";

/** The User-Agent every request carries, so Box admins can tell these calls apart in their logs. */
export const USER_AGENT = `pulumi-box-session-termination/${VERSION}`;
