#!/usr/bin/env python3
"""Replay conversation logs through a handoff matrix on Spark, one shard per partition.

The logs (JSONL, CSV or Parquet, from a path or a bucket: file:///, s3a://, gs://, abfs://, hdfs://)
are shuffled so that every conversation lands whole in one partition (keyed by conversation id, or
with --by customer by the conversation's customer id, so that a customer's conversations stay
together), sorted within the partition by key, conversation and input position (so each shard is
grouped input, replayed in flat memory, with the order of records that share a timestamp kept), and
piped through `handoff replay --partial -` with RDD.pipe: one line of JSON, the shard's partial
report, per partition. The driver collects the partials and reduces them with `handoff merge`,
which gives the report one `handoff replay` over all the logs would give, byte for byte.

    spark-submit handoff_spark.py rules/whatsapp-retail.yaml s3a://bucket/exports/2026-10/ \\
        --partitions 64 -- --format json --output report.json --fail-if 'bot_trap_rate > 0.02'

Arguments after `--` go to `handoff merge` (format, output, gates). The handoff binary must be on
every executor (--handoff PATH); RDD.pipe runs it with an empty environment, so give its full path
or let this script resolve it on the driver's PATH. See README.md, "More than one machine".
"""

import argparse
import csv
import io
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="Replay conversation logs through a handoff matrix on Spark (RDD.pipe + handoff merge)."
    )
    ap.add_argument("matrix", help="the escalation matrix, at a path every executor can read")
    ap.add_argument("input", help="a file or folder of logs: a local path or a bucket URL")
    ap.add_argument("--input-format", choices=["jsonl", "csv", "parquet"],
                    help="default: from the input's extension (.jsonl/.ndjson, .csv, .parquet)")
    ap.add_argument("--by", choices=["conversation", "customer"], default="conversation",
                    help="partition key: the conversation id, or the conversation's customer id "
                         "(recontact_48h_rate is exact either way; see README.md)")
    ap.add_argument("--conversation-field", default="conversation_id")
    ap.add_argument("--customer-field", default="customer_id")
    ap.add_argument("--partitions", type=int, help="shards (default: Spark's default parallelism)")
    ap.add_argument("--handoff", default="handoff", help="the handoff binary on the executors")
    ap.add_argument("--config", help="handoff.toml for the shards (importer settings, e.g. CSV columns)")
    ap.add_argument("--keep-partials", metavar="DIR", help="also keep the partial reports in DIR")
    ap.add_argument("--master", help="Spark master (default: as spark-submit sets it, else local[*])")
    ap.add_argument("merge_args", nargs=argparse.REMAINDER,
                    help="after --: options of handoff merge (--format, --output, --fail-if)")
    args = ap.parse_args(argv)
    if args.merge_args and args.merge_args[0] == "--":
        args.merge_args = args.merge_args[1:]
    if args.input_format is None:
        name = args.input.rstrip("/").lower()
        for ext, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".parquet", "parquet")):
            if name.endswith(ext):
                args.input_format = fmt
        if args.input_format is None:
            ap.error("cannot tell the input format from its name; pass --input-format")
    return args


def shards(spark, args):
    """The records as (key, conversation, file, position, line) with `line` what handoff reads."""
    from pyspark.sql import functions as F

    if args.input_format == "jsonl":
        # The lines themselves: every byte of every record reaches handoff as it was written.
        df = spark.read.text(args.input).filter(F.trim(F.col("value")) != "")
        conv = F.get_json_object("value", "$." + args.conversation_field)
        cust = F.get_json_object("value", "$." + args.customer_field)
        line = F.col("value")
    else:
        if args.input_format == "csv":
            df = (spark.read.option("header", True).option("multiLine", True)
                  .option("escape", '"').csv(args.input))
        else:
            df = spark.read.parquet(args.input)
        conv = F.col(f"`{args.conversation_field}`").cast("string")
        cust = (F.col(f"`{args.customer_field}`").cast("string")
                if args.customer_field in df.columns else F.lit(None).cast("string"))
        line = F.struct(*[F.col(f"`{c}`") for c in df.columns])
    df = df.select(
        conv.alias("_conv"), cust.alias("_cust"), F.input_file_name().alias("_file"),
        F.monotonically_increasing_id().alias("_pos"), line.alias("_line"),
    )
    if args.by == "customer":
        # A conversation keeps one key even when only some of its records carry the customer id.
        from pyspark.sql.window import Window
        owner = F.max("_cust").over(Window.partitionBy("_conv"))
        df = df.withColumn("_key", F.coalesce(owner, F.col("_conv")))
    else:
        df = df.withColumn("_key", F.col("_conv"))
    n = args.partitions or spark.sparkContext.defaultParallelism
    return df.repartition(n, "_key").sortWithinPartitions("_key", "_conv", "_file", "_pos")


def csv_lines(columns):
    """A partition of rows as CSV text: the header, then one record per row."""
    def each(rows):
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(columns)
        yield out.getvalue().rstrip("\n")
        for r in rows:
            out.seek(0)
            out.truncate()
            w.writerow(["" if v is None else v for v in r["_line"]])
            yield out.getvalue().rstrip("\n")
    return each


def main(argv):
    args = parse_args(argv)
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    handoff = shutil.which(args.handoff) or args.handoff
    builder = SparkSession.builder.appName("handoff replay")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    started = time.monotonic()
    df = shards(spark, args)
    replay = [handoff, "replay", "--quiet", "--threads", "1", "--partial", "-"]
    if args.config:
        replay += ["--config", args.config]
    if args.input_format == "csv":
        columns = [f.name for f in df.schema["_line"].dataType.fields]
        rdd = df.select("_line").rdd.mapPartitions(csv_lines(columns))
        replay += ["--input-format", "csv"]
    elif args.input_format == "parquet":
        stamp = {"timestampFormat": "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"}
        rdd = df.select(F.to_json("_line", stamp)).rdd.map(lambda r: r[0])
        replay += ["--input-format", "jsonl"]
    else:
        rdd = df.select("_line").rdd.map(lambda r: r[0])
        replay += ["--input-format", "jsonl"]
    replay += [args.matrix, "-"]
    # checkCode: a shard that fails (exit 2: an unreadable matrix, --strict) fails the job.
    partials = rdd.pipe(shlex.join(replay), checkCode=True).collect()
    spark.stop()
    shuffled = time.monotonic()
    folder = args.keep_partials or tempfile.mkdtemp(prefix="handoff-partials-")
    os.makedirs(folder, exist_ok=True)
    files = []
    for i, text in enumerate(partials):
        path = os.path.join(folder, f"part-{i:05d}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        files.append(path)
    merge = [handoff, "merge", *args.merge_args]
    if args.config:
        merge += ["--config", args.config]
    code = subprocess.run(merge + files).returncode
    size = sum(os.path.getsize(p) for p in files)
    print(f"handoff_spark: {len(files)} shards, partials {size:,} bytes; "
          f"replay on Spark {shuffled - started:.1f} s, merge {time.monotonic() - shuffled:.1f} s",
          file=sys.stderr)
    if not args.keep_partials:
        shutil.rmtree(folder, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
