// One portable schema for both backends: only types that SQLite and PostgreSQL share.
// Ids are BIGINT (SQLite's INTEGER PRIMARY KEY is a 64-bit rowid).

diesel::table! {
    townships (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    schools (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        township_id -> Nullable<BigInt>,
        kind -> Text,
        pupils -> Integer,
        boarders -> Integer,
        staff -> Integer,
        principal -> Text,
        phone -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        school_id -> Nullable<BigInt>,
        active -> Bool,
        must_change_password -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        ip -> Text,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        chain -> Text,
        prev_hash -> Text,
        hash -> Text,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Text,
        school_id -> Nullable<BigInt>,
        record_kind -> Text,
        record_id -> Nullable<BigInt>,
        action -> Text,
        from_state -> Nullable<Text>,
        to_state -> Nullable<Text>,
        comment -> Nullable<Text>,
        changes -> Nullable<Text>,
    }
}

diesel::joinable!(schools -> townships (township_id));
diesel::joinable!(users -> schools (school_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    townships,
    schools,
    users,
    sessions,
    login_throttle,
    settings,
    events,
);
