//! Command-line values of the option vocabularies: clap reads them through
//! the same [`Vocab`] table survlit.toml does, so a flag and an option
//! accept the same words, list the same possible values and fail with the
//! same message.

use std::marker::PhantomData;

use clap::builder::{PossibleValue, TypedValueParser};

use crate::domain::Vocab;

/// A clap value parser for a [`Vocab`]: its canonical spellings are the
/// possible values (`--help`, completions), its aliases are accepted too.
#[derive(Clone)]
pub struct VocabParser<T>(PhantomData<fn() -> T>);

/// The parser for `T`, as `#[arg(value_parser = vocab::<T>())]`.
pub fn vocab<T>() -> VocabParser<T> {
    VocabParser(PhantomData)
}

impl<T: Vocab + Send + Sync + Clone + 'static> TypedValueParser for VocabParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        T::parse_or_explain(&text).map_err(|message| {
            let flag = arg.map_or(String::new(), |a| format!(" for '--{}'", a.get_id()));
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value '{text}'{flag}: {message}\n"),
            )
            .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            T::ALL.iter().map(|(name, _)| PossibleValue::new(*name)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::vocab;
    use crate::stats::pool::{Tau2Method, TestKind};

    #[derive(Parser)]
    struct Args {
        #[arg(long, value_parser = vocab::<Tau2Method>(), default_value = "REML")]
        method: Tau2Method,
        #[arg(long, value_parser = vocab::<TestKind>(), default_value = "z")]
        test: TestKind,
    }

    #[test]
    fn flags_read_the_vocabulary_with_its_aliases_and_explain_a_typo() {
        let a = Args::try_parse_from(["x", "--method", "ee", "--test", "KNHA"]).unwrap();
        assert_eq!(a.method, Tau2Method::FE);
        assert_eq!(a.test, TestKind::Knha);
        let d = Args::try_parse_from(["x"]).unwrap();
        assert_eq!((d.method, d.test), (Tau2Method::REML, TestKind::Z));
        let e = Args::try_parse_from(["x", "--method", "REMLL"])
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("unknown τ² estimator 'REMLL' (did you mean 'REML'?)"),
            "{e}"
        );
        assert!(
            e.contains("use FE, DL, HE, HS, SJ, ML, REML, EB, PM"),
            "{e}"
        );
    }
}
