/**
 * Arithmetic on principal sets (already normalized by validation.ts): what an update adds, what is
 * left after a partial failure, how many there are. Pure.
 */
import type { PrincipalKind, Principals } from "./types";
import { sortUnique } from "./validation";

/** The principals in `next` that are not in `previous`: what an update must send to Box. */
export function addedPrincipals(previous: Principals, next: Principals): Principals {
    const added = (kind: PrincipalKind): string[] => {
        const before = new Set(previous[kind]);
        return next[kind].filter((p) => !before.has(p));
    };
    return { userIds: added("userIds"), userLogins: added("userLogins"), groupIds: added("groupIds") };
}

/** Principals in `all` that are not in `minus`. */
export function subtractPrincipals(all: Principals, minus: Principals): Principals {
    return addedPrincipals(minus, all);
}

/** The union of two principal sets, normalized. */
export function unionPrincipals(a: Principals, b: Principals): Principals {
    const union = (kind: PrincipalKind): string[] => sortUnique([...a[kind], ...b[kind]], kind);
    return { userIds: union("userIds"), userLogins: union("userLogins"), groupIds: union("groupIds") };
}

/** How many principals a set names in all. */
export function countPrincipals(p: Principals): number {
    return p.userIds.length + p.userLogins.length + p.groupIds.length;
}

/** True when no list names anyone. */
export function isEmpty(p: Principals): boolean {
    return countPrincipals(p) === 0;
}
