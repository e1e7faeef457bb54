# The ticker application as it was deployed with Terraform's aws_kinesis_analytics_application.
# `streaming-analytics run examples/kda-terraform/main.tf` runs it unchanged; --var and --var-file give the
# variables (terraform.tfvars beside this file is an example of the latter).

variable "application_name" {
  type    = string
  default = "ticker-analytics-tf"
}

variable "window_seconds" {
  type    = number
  default = 10
}

variable "source_records_aggregation" {
  type    = bool
  default = true
}

variable "input_stream_arn" {
  type = string
}

locals {
  output_stream = "DESTINATION_SQL_STREAM"
}

resource "aws_iam_role" "kda" {
  name               = "${var.application_name}-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17" })
}

resource "aws_kinesis_analytics_application" "ticker" {
  name = var.application_name

  code = <<-SQL
    CREATE OR REPLACE STREAM "${local.output_stream}" (
      TICKER_SYMBOL VARCHAR(4),
      TRADE_COUNT   BIGINT,
      MIN_PRICE     REAL,
      MAX_PRICE     REAL,
      AVG_PRICE     DOUBLE);
    CREATE OR REPLACE PUMP "STREAM_PUMP" AS
      INSERT INTO "${local.output_stream}"
        SELECT STREAM TICKER_SYMBOL, COUNT(*), MIN(PRICE), MAX(PRICE), AVG(CAST(PRICE AS DOUBLE))
        FROM "SOURCE_SQL_STREAM_001"
        GROUP BY TICKER_SYMBOL, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '${var.window_seconds}' SECOND);
  SQL

  inputs {
    name_prefix = "SOURCE_SQL_STREAM"

    kinesis_stream {
      resource_arn = var.input_stream_arn
      role_arn     = aws_iam_role.kda.arn
    }

    dynamic "processing_configuration" {
      for_each = var.source_records_aggregation ? [1] : []
      content {
        lambda {
          resource_arn = "arn:aws:lambda:us-east-1:123456789012:function:kpl-preprocessor"
          role_arn     = aws_iam_role.kda.arn
        }
      }
    }

    parallelism {
      count = 1
    }

    schema {
      record_encoding = "UTF-8"

      record_columns {
        name     = "TICKER_SYMBOL"
        sql_type = "VARCHAR(4)"
        mapping  = "$.TICKER_SYMBOL"
      }
      record_columns {
        name     = "SECTOR"
        sql_type = "VARCHAR(16)"
        mapping  = "$.SECTOR"
      }
      record_columns {
        name     = "CHANGE"
        sql_type = "REAL"
        mapping  = "$.CHANGE"
      }
      record_columns {
        name     = "PRICE"
        sql_type = "REAL"
        mapping  = "$.PRICE"
      }

      record_format {
        mapping_parameters {
          json {
            record_row_path = "$"
          }
        }
      }
    }

    starting_position_configuration {
      starting_position = "TRIM_HORIZON"
    }
  }

  outputs {
    name = local.output_stream
    schema {
      record_format_type = "JSON"
    }
    kinesis_firehose {
      resource_arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/analytics"
      role_arn     = aws_iam_role.kda.arn
    }
  }

  outputs {
    name = "error_stream"
    schema {
      record_format_type = "JSON"
    }
    kinesis_firehose {
      resource_arn = "arn:aws:firehose:us-east-1:123456789012:deliverystream/errors"
      role_arn     = aws_iam_role.kda.arn
    }
  }
}
