export * from "./admin-key";
export * from "./config-error";
export * from "./env-config";
export * from "./secrets";
