/** Names shared by the Redis modules. Connection ids carry their node: `<node>.<uuid>`. */
export const nodeOf = (id: string) => id.slice(0, id.indexOf('.'));

/** The sessions with a side on a node: what is looked at when that node dies. Entries may be stale (checked then). */
export const NODE_SESSIONS = (node: string) => `peerdesk:node-sessions:${node}`;
