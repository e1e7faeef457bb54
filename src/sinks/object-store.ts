/** Where an object sink puts its objects: a local folder or an S3 bucket. */
export interface ObjectStore {
  /** Writes the whole object under `key`, replacing an object of the same key. Resolves once it is stored. */
  put(key: string, body: Buffer): Promise<void>;
  /**
   * Keys that start with `prefix` and have no further `/` after the last `/` of `prefix` (one folder level,
   * like an S3 listing with delimiter `/`).
   */
  list(prefix: string): Promise<string[]>;
  /** Removes an object; no error when it does not exist. */
  delete(key: string): Promise<void>;
  /** How messages name the object, e.g. `s3://bucket/key` or a file path. */
  describe(key: string): string;
  /** Releases connections. */
  close?(): Promise<void>;
}
