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

diesel::table! {
    counters (name) {
        name -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    hazards (id) {
        id -> BigInt,
        ref_no -> Text,
        school_id -> BigInt,
        source -> Text,
        category -> Text,
        title -> Text,
        description -> Text,
        location -> Text,
        level -> Text,
        how_found -> Text,
        found_on -> Date,
        found_by -> Text,
        reported_by -> BigInt,
        reported_at -> Timestamp,
        state -> Text,
        deadline -> Nullable<Date>,
        responsible_unit -> Nullable<Text>,
        responsible_person -> Nullable<Text>,
        measures -> Nullable<Text>,
        interim_controls -> Nullable<Text>,
        funding -> Nullable<Text>,
        department -> Nullable<Text>,
        duplicate_of -> Nullable<Text>,
        supervised -> Bool,
        contingency_plan -> Nullable<Text>,
        building_id -> Nullable<BigInt>,
        submitted_by -> Nullable<BigInt>,
        submitted_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<BigInt>,
        accepted_at -> Nullable<Timestamp>,
        version -> Integer,
        updated_at -> Timestamp,
        supervised_at -> Nullable<Timestamp>,
        security_item -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> BigInt,
        record_kind -> Text,
        record_id -> Nullable<BigInt>,
        school_id -> Nullable<BigInt>,
        stage -> Text,
        sha256 -> Text,
        content_type -> Text,
        file_name -> Text,
        bytes -> Integer,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
        pending_session -> Nullable<BigInt>,
        pending_form -> Nullable<Text>,
    }
}

diesel::table! {
    form_drafts (id) {
        id -> BigInt,
        token -> Text,
        session_id -> BigInt,
        form -> Text,
        fields -> Text,
        errors -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    report_submissions (id) {
        id -> BigInt,
        school_id -> BigInt,
        month -> Text,
        state -> Text,
        snapshot -> Text,
        submitted_by -> BigInt,
        submitted_at -> Timestamp,
        returned_by -> Nullable<BigInt>,
        returned_at -> Nullable<Timestamp>,
        return_comment -> Nullable<Text>,
    }
}

diesel::table! {
    report_snapshots (module, scope, month) {
        module -> Text,
        scope -> Text,
        month -> Text,
        section -> Text,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        record_kind -> Text,
        record_id -> BigInt,
        school_id -> Nullable<BigInt>,
        event -> Text,
        reference -> Text,
        title -> Text,
        url -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_outbox (id) {
        id -> BigInt,
        url -> Text,
        payload -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notification_reminders (record_kind, record_id, reminder, day) {
        record_kind -> Text,
        record_id -> BigInt,
        reminder -> Text,
        day -> Date,
    }
}

diesel::table! {
    buildings (id) {
        id -> BigInt,
        school_id -> BigInt,
        name -> Text,
        usage -> Text,
        structure -> Text,
        floors -> Integer,
        floor_area -> Double,
        year_built -> Integer,
        status -> Text,
        grade -> Nullable<Text>,
        appraised_on -> Nullable<Date>,
        appraisal_due -> Nullable<Date>,
        hazard_id -> Nullable<BigInt>,
        disposal_method -> Nullable<Text>,
        disposal_deadline -> Nullable<Date>,
        disposal_funding -> Nullable<Text>,
        disposal_measures -> Nullable<Text>,
        reported_done_by -> Nullable<BigInt>,
        reported_done_at -> Nullable<Timestamp>,
        accepted_by -> Nullable<BigInt>,
        accepted_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    appraisals (id) {
        id -> BigInt,
        building_id -> BigInt,
        appraised_on -> Date,
        agency -> Text,
        report_no -> Text,
        grade -> Text,
        notes -> Text,
        file_id -> Nullable<BigInt>,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    guards (id) {
        id -> BigInt,
        school_id -> BigInt,
        name -> Text,
        licence_no -> Nullable<Text>,
        birth_year -> Integer,
        employer -> Text,
        full_time -> Bool,
        hired_on -> Date,
        left_on -> Nullable<Date>,
        insured -> Bool,
        trained_on -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    security_profiles (school_id) {
        school_id -> BigInt,
        closed_management -> Bool,
        closed_verified_on -> Nullable<Date>,
        closed_verified_by -> Nullable<BigInt>,
        alarm_linked -> Bool,
        alarm_verified_on -> Nullable<Date>,
        alarm_verified_by -> Nullable<BigInt>,
        video_linked -> Bool,
        video_verified_on -> Nullable<Date>,
        video_verified_by -> Nullable<BigInt>,
        guard_post -> Bool,
        post_verified_on -> Nullable<Date>,
        post_verified_by -> Nullable<BigInt>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alarm_tests (id) {
        id -> BigInt,
        school_id -> BigInt,
        tested_on -> Date,
        result -> Text,
        response_seconds -> Nullable<Integer>,
        note -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    bullying_cases (id) {
        id -> BigInt,
        school_id -> BigInt,
        ref_no -> Text,
        state -> Text,
        reported_on -> Date,
        happened_on -> Nullable<Date>,
        reporter_kind -> Text,
        reported_by -> Nullable<BigInt>,
        summary -> Text,
        place -> Text,
        accepted_on -> Nullable<Date>,
        deadline -> Nullable<Date>,
        determination -> Nullable<Text>,
        determined_on -> Nullable<Date>,
        receipt_hash -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    bullying_parties (id) {
        id -> BigInt,
        case_id -> BigInt,
        role -> Text,
        name -> Text,
        grade_class -> Text,
        age -> Nullable<Integer>,
        added_by -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    bullying_measures (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        taken_on -> Date,
        note -> Text,
        added_by -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    bullying_notes (id) {
        id -> BigInt,
        case_id -> BigInt,
        action -> Text,
        note -> Text,
        added_by -> BigInt,
        added_at -> Timestamp,
    }
}

diesel::table! {
    bullying_access (id) {
        id -> BigInt,
        case_id -> BigInt,
        user_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    bullying_screenings (id) {
        id -> BigInt,
        school_id -> BigInt,
        held_on -> Date,
        classes -> Text,
        pupils_covered -> Integer,
        findings -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    education_sessions (id) {
        id -> BigInt,
        school_id -> BigInt,
        kind -> Text,
        topic -> Text,
        held_on -> Date,
        participants -> Integer,
        note -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    legal_vps (id) {
        id -> BigInt,
        name -> Text,
        unit_kind -> Text,
        unit_name -> Text,
        appointed_on -> Date,
        term_ends_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    legal_vp_schools (vp_id, school_id) {
        vp_id -> BigInt,
        school_id -> BigInt,
    }
}

diesel::table! {
    campaigns (id) {
        id -> BigInt,
        name -> Text,
        starts_on -> Date,
        ends_on -> Date,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_items (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        position -> Integer,
        title -> Text,
    }
}

diesel::table! {
    campaign_marks (id) {
        id -> BigInt,
        campaign_id -> BigInt,
        item_id -> BigInt,
        school_id -> BigInt,
        state -> Text,
        done_on -> Nullable<Date>,
        note -> Text,
        comment -> Nullable<Text>,
        updated_by -> BigInt,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::joinable!(schools -> townships (township_id));
diesel::joinable!(hazards -> schools (school_id));
diesel::joinable!(buildings -> schools (school_id));
diesel::joinable!(appraisals -> buildings (building_id));
diesel::joinable!(form_drafts -> sessions (session_id));
diesel::joinable!(users -> schools (school_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(bullying_cases -> schools (school_id));
diesel::joinable!(bullying_parties -> bullying_cases (case_id));
diesel::joinable!(bullying_measures -> bullying_cases (case_id));
diesel::joinable!(bullying_access -> users (user_id));

diesel::table! {
    search_terms (record_kind, term, record_id) {
        record_kind -> Text,
        term -> Text,
        record_id -> BigInt,
    }
}

diesel::table! {
    search_docs (record_kind, record_id) {
        record_kind -> Text,
        record_id -> BigInt,
        head -> Text,
        body -> Text,
    }
}

diesel::table! {
    hazard_state_counts (school_id, state) {
        school_id -> BigInt,
        state -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    hazard_month_flows (school_id, month) {
        school_id -> BigInt,
        month -> Text,
        found -> BigInt,
        closed -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    townships,
    schools,
    users,
    sessions,
    login_throttle,
    settings,
    events,
    counters,
    hazards,
    attachments,
    form_drafts,
    report_submissions,
    report_snapshots,
    notifications,
    webhook_outbox,
    notification_reminders,
    buildings,
    appraisals,
    guards,
    security_profiles,
    alarm_tests,
    bullying_cases,
    bullying_parties,
    bullying_measures,
    bullying_notes,
    bullying_access,
    bullying_screenings,
    education_sessions,
    legal_vps,
    legal_vp_schools,
    campaigns,
    campaign_items,
    campaign_marks,
    search_terms,
    search_docs,
    hazard_state_counts,
    hazard_month_flows,
);
