/**
 * Constants of the KPL aggregated-record format:
 * `F3 89 9A C2 || AggregatedRecord (protobuf, proto2) || MD5(protobuf)`.
 */

/** The four bytes every KPL aggregate starts with. */
export const KPL_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the MD5 trailer, which covers the protobuf bytes only (not the magic). */
export const KPL_DIGEST_LENGTH = 16;

/**
 * Shortest record that can be an aggregate. The KCL (and the Python and Go de-aggregators) require strictly
 * more than 16 bytes after the magic, so magic + MD5 of an empty body (20 bytes) is *not* an aggregate.
 */
export const KPL_MIN_AGGREGATE_LENGTH = KPL_MAGIC.length + KPL_DIGEST_LENGTH + 1;

/** The KPL's default `AggregationMaxSize`, in bytes as Kinesis counts them (data plus partition key). */
export const DEFAULT_AGGREGATION_MAX_BYTES = 51_200;

/** Kinesis' default maximum record size (data plus partition key), 1 MiB. */
export const DEFAULT_STREAM_MAX_RECORD_BYTES = 1_048_576;

/** The largest maximum record size a stream can be raised to (`UpdateMaxRecordSize`, 10 MiB). */
export const LARGEST_STREAM_MAX_RECORD_BYTES = 10_485_760;

/** Protobuf tags (field number << 3 | wire type) of the AggregatedRecord schema. */
export const Tag = {
  /** AggregatedRecord.partition_key_table = 1 (string). */
  PartitionKeyTable: 0x0a,
  /** AggregatedRecord.explicit_hash_key_table = 2 (string). */
  ExplicitHashKeyTable: 0x12,
  /** AggregatedRecord.records = 3 (Record). */
  Records: 0x1a,
  /** Record.partition_key_index = 1 (uint64, required). */
  PartitionKeyIndex: 0x08,
  /** Record.explicit_hash_key_index = 2 (uint64, optional: absent is not 0). */
  ExplicitHashKeyIndex: 0x10,
  /** Record.data = 3 (bytes, required). */
  Data: 0x1a,
  /** Record.tags = 4 (Tag); never used by the KPL, validated and ignored. */
  Tags: 0x22,
  /** Tag.key = 1 (string, required). */
  TagKey: 0x0a,
  /** Tag.value = 2 (string, optional). */
  TagValue: 0x12,
} as const;

/** True when `bytes` starts with the KPL magic (says nothing about the rest). */
export function hasKplMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xf3 && bytes[1] === 0x89 && bytes[2] === 0x9a && bytes[3] === 0xc2;
}
