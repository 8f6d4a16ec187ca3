//! The domain's `str_enum!` types as text columns: rows read and queries bind the types
//! themselves, never their words. A word no version of the app writes fails the read loudly
//! instead of turning into some default.
//!
//! A new module lists its enums in the one `text_columns!` call below.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use crate::db::MultiBackend;
use crate::domain::audit::RecordKind;
use crate::domain::enums::StrEnum;

/// Reads a stored word as one of `E`'s values.
fn read<E: StrEnum>(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<E> {
    let word = <String as FromSql<Text, MultiBackend>>::from_sql(bytes)?;
    E::parse(&word).ok_or_else(|| {
        format!(
            "unknown {} {word:?} in the database",
            std::any::type_name::<E>()
        )
        .into()
    })
}

macro_rules! text_columns {
    ($($ty:ty),+ $(,)?) => {$(
        const _: () = {
            // Diesel's derives write the expression and row impls for the domain type itself.
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(foreign_derive)]
            #[diesel(sql_type = Text)]
            #[allow(dead_code)]
            struct Column($ty);
        };

        // The multi-backend binds through each backend's own impl, so all three are needed.
        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                <str as ToSql<Text, MultiBackend>>::to_sql(StrEnum::as_str(*self), out)
            }
        }

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(StrEnum::as_str(*self), out)
            }
        }

        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(StrEnum::as_str(*self), out)
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                read::<$ty>(bytes)
            }
        }
    )+};
}

use crate::domain::attachments::Stage;
use crate::domain::buildings::{Grade, Method, Status as BuildingStatus, Structure, Use};
use crate::domain::bullying::{
    Determination, MeasureKind, PartyRole, ReporterKind, State as CaseState,
};
use crate::domain::campaigns::MarkState;
use crate::domain::education::{SessionKind, Topic};
use crate::domain::hazards::{Category, HowFound, Level, Source, State};
use crate::domain::legal_vps::UnitKind;
use crate::domain::reports::SubmissionState;
use crate::domain::role::Role;
use crate::domain::school::SchoolKind;
use crate::domain::security::{AlarmResult, Item as SecurityItem};

text_columns!(
    RecordKind,
    MarkState,
    SessionKind,
    Topic,
    UnitKind,
    Role,
    SchoolKind,
    Stage,
    State,
    Level,
    Source,
    Category,
    HowFound,
    SubmissionState,
    Use,
    Structure,
    Grade,
    BuildingStatus,
    Method,
    SecurityItem,
    AlarmResult,
    CaseState,
    Determination,
    ReporterKind,
    PartyRole,
    MeasureKind,
);
