//! CSV rendering through the `csv` crate (RFC 4180 quoting). Groups expand to
//! their sub-columns; raw JSON fields become one cell of JSON text.

use super::Sink;
use crate::fields::{Field, Leaf, Value};
use crate::record::Record;
use anyhow::Result;
use std::io::Write;

pub struct CsvSink {
    writer: csv::Writer<Box<dyn Write + Send>>,
    leaves: Vec<Leaf>,
    header_pending: bool,
}

impl CsvSink {
    pub fn new(out: Box<dyn Write + Send>, fields: Vec<Field>, header: bool) -> Self {
        let writer = csv::WriterBuilder::new()
            .buffer_capacity(1 << 16)
            .from_writer(out);
        let leaves = fields.iter().flat_map(|f| f.leaves()).collect();
        CsvSink {
            writer,
            leaves,
            header_pending: header,
        }
    }

    fn write_header(&mut self) -> Result<()> {
        if self.header_pending {
            self.header_pending = false;
            self.writer
                .write_record(self.leaves.iter().map(|l| l.column()))?;
        }
        Ok(())
    }
}

impl Sink for CsvSink {
    fn record(&mut self, record: &Record<'_>) -> Result<()> {
        self.write_header()?;
        for leaf in &self.leaves {
            match leaf.value(record) {
                Value::Text(text) => self.writer.write_field(text.unwrap_or(""))?,
                Value::Json(json) => self
                    .writer
                    .write_field(super::one_line_json(json.unwrap_or("")).as_ref())?,
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        self.write_header()?;
        self.writer.flush()?;
        Ok(())
    }
}
