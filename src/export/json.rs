//! JSON for the statistics commands: numbers that are not finite become
//! `null`, large arrays are serialized from iterators without collecting,
//! and the layout is indented with each row of an array on one line.

use serde::ser::Serializer;
use serde::Serialize;

/// A number as JSON: `null` when not finite (JSON has no NaN or infinity).
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.serialize_f64(self.0)
        } else {
            s.serialize_none()
        }
    }
}

/// A sequence serialized from an iterator, without collecting it.
pub struct Rows<I>(pub I);

impl<I, T> Serialize for Rows<I>
where
    I: Iterator<Item = T> + Clone,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// Writes `value` to `w`, indented, each object inside an array on one line.
pub fn write_rows<T: Serialize + ?Sized, W: std::io::Write>(
    value: &T,
    w: W,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, RowFormatter::default());
    value.serialize(&mut ser)
}

/// One open array or object.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// An array (its object elements are rows).
    is_array: bool,
    /// Written on one line.
    compact: bool,
    /// At least one element written.
    has_value: bool,
}

/// Indented JSON whose objects inside arrays are written on one line.
#[derive(Debug, Default)]
struct RowFormatter {
    stack: Vec<Frame>,
}

impl RowFormatter {
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        is_array: bool,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        let compact = self
            .stack
            .last()
            .is_some_and(|p| p.compact || (p.is_array && !is_array));
        self.stack.push(Frame {
            is_array,
            compact,
            has_value: false,
        });
        w.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        if let Some(f) = self.stack.pop() {
            if !f.compact && f.has_value {
                w.write_all(b"\n")?;
                indent(w, self.stack.len())?;
            }
        }
        w.write_all(bracket)
    }

    fn element<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        let depth = self.stack.len();
        let Some(f) = self.stack.last_mut() else {
            return Ok(());
        };
        f.has_value = true;
        if f.compact {
            w.write_all(if first { b"" } else { b", " })
        } else {
            w.write_all(if first { b"\n" } else { b",\n" })?;
            indent(w, depth)
        }
    }
}

fn indent<W: ?Sized + std::io::Write>(w: &mut W, n: usize) -> std::io::Result<()> {
    for _ in 0..n {
        w.write_all(b"  ")?;
    }
    Ok(())
}

impl serde_json::ser::Formatter for RowFormatter {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, true, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.element(w, first)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, false, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.element(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}
