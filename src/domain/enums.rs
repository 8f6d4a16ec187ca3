//! `str_enum!`: a closed set of words, each stored as text in the database and shown through a
//! catalog key. One macro for every module's states, actions, kinds and choices, so parsing,
//! the option lists of forms (`ALL`) and the catalog keys (`label`) never drift apart.
//!
//! The store maps these types to and from their columns (`store::column`); the i18n test walks
//! every `ALL` through `domain::labels()`.

/// What every `str_enum!` type offers, for code generic over them (columns, option lists).
pub trait StrEnum: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every value, in the order forms and lists offer them.
    fn all() -> &'static [Self];
    /// The word stored in the database and used in forms and URLs.
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self>;
    /// The catalog key of the value's name in the user's language.
    fn label(self) -> &'static str;
}

/// `str_enum!(pub State: "hazards.state" { Reported = "reported", … })` declares the enum with
/// `ALL`, `as_str`, `parse`, `label` (here `hazards.state.reported`) and `Display`.
macro_rules! str_enum {
    ($(#[$m:meta])* $vis:vis $name:ident: $prefix:literal {
        $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The catalog key of this value's name.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $text)),+ }
            }

            /// Every value's catalog key (for the test that the catalogs hold them all).
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
        }

        impl $crate::domain::enums::StrEnum for $name {
            fn all() -> &'static [Self] { Self::ALL }
            fn as_str(self) -> &'static str { $name::as_str(self) }
            fn parse(s: &str) -> Option<Self> { $name::parse(s) }
            fn label(self) -> &'static str { $name::label(self) }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use str_enum;

#[cfg(test)]
mod tests {
    use super::StrEnum;

    str_enum!(Colour: "test.colour" { Red = "red", DarkBlue = "dark_blue" });

    #[test]
    fn every_value_round_trips_and_has_its_catalog_key() {
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Colour::DarkBlue.label(), "test.colour.dark_blue");
        assert_eq!(Colour::parse("Red"), None, "words are matched exactly");
        assert_eq!(<Colour as StrEnum>::all().len(), 2);
        assert_eq!(
            Colour::labels(),
            ["test.colour.red", "test.colour.dark_blue"]
        );
        assert_eq!(Colour::Red.to_string(), "red");
    }
}
