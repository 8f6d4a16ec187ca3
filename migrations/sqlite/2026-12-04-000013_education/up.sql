-- Safety education and drills (the education_sessions table came with anti-bullying, which
-- records its prevention sessions there), legal vice-principals and campaign checklists.
CREATE TABLE legal_vps (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    appointed_on DATE NOT NULL,
    term_ends_on DATE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX legal_vps_unit ON legal_vps(unit_kind, appointed_on);

CREATE TABLE legal_vp_schools (
    vp_id BIGINT NOT NULL REFERENCES legal_vps(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    PRIMARY KEY (vp_id, school_id)
);
CREATE INDEX legal_vp_schools_school ON legal_vp_schools(school_id);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_period ON campaigns(starts_on, ends_on);

CREATE TABLE campaign_items (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX campaign_items_campaign ON campaign_items(campaign_id, position);

CREATE TABLE campaign_marks (
    id INTEGER PRIMARY KEY NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
    item_id BIGINT NOT NULL REFERENCES campaign_items(id),
    school_id BIGINT NOT NULL REFERENCES schools(id),
    state TEXT NOT NULL,
    done_on DATE,
    note TEXT NOT NULL,
    comment TEXT,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (item_id, school_id)
);
CREATE INDEX campaign_marks_school ON campaign_marks(campaign_id, school_id);
