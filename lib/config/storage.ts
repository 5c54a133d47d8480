import { z } from "zod";
import { ZBooleanFlag } from "./parse-env";

/**
 * Where image files live, shared by the web process (serves them) and the
 * workers (write them): a local folder (one host, or a volume every host
 * mounts), or an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, …).
 */
export const ZStorageFields = {
  STORAGE_DRIVER: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  /** The local driver's folder. */
  STORAGE_DIR: z.string().min(1).default(".data/images"),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name (3–63 lowercase letters, digits, '.', '-')" })
    .optional(),
  /** Endpoint of a non-AWS service, e.g. http://minio:9000; unset means AWS S3 in S3_REGION. */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL, e.g. http://minio:9000" }).optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]+$/, { error: "must be a region name such as us-east-1" }).default("us-east-1"),
  /** Without a key pair the AWS SDK's default chain applies (instance or task role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `bucket` in the path instead of the host name: what MinIO and most self-hosted servers need. */
  S3_FORCE_PATH_STYLE: ZBooleanFlag.default(false),
  /** Prepended to every object key, e.g. `mirage/`, so one bucket can hold several studios. */
  S3_KEY_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9._-]+\/)*$/, { error: "must be empty or folder names each ending in '/', e.g. mirage/" })
    .default(""),
};

export interface TStorageConfig {
  STORAGE_DRIVER: "local" | "s3";
  STORAGE_DIR: string;
  S3_BUCKET?: string;
  S3_ENDPOINT?: string;
  S3_REGION: string;
  S3_ACCESS_KEY_ID?: string;
  S3_SECRET_ACCESS_KEY?: string;
  S3_FORCE_PATH_STYLE: boolean;
  S3_KEY_PREFIX: string;
}

/** Cross-field rules, added to each process's schema with `.superRefine`. */
export function refineStorage(value: TStorageConfig, context: z.RefinementCtx): void {
  if (value.STORAGE_DRIVER === "s3" && !value.S3_BUCKET) {
    context.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when STORAGE_DRIVER=s3" });
  }
  if (Boolean(value.S3_ACCESS_KEY_ID) !== Boolean(value.S3_SECRET_ACCESS_KEY)) {
    context.addIssue({ code: "custom", path: [value.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together" });
  }
}
