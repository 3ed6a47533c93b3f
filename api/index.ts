export * from "./build-app";
export * from "./config";
export * from "./errors";
export * from "./logger";
export * from "./metrics";
export * from "./problem";
export type { Principal, RouteAccess } from "./auth";
