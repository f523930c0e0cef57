/** The time of day, for log lines: the servers' and the client program's alike. */
export const timestamp = () => new Date().toISOString().slice(11, 23);
