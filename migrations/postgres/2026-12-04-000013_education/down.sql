DROP TABLE campaign_marks;
DROP TABLE campaign_items;
DROP TABLE campaigns;
DROP TABLE legal_vp_schools;
DROP TABLE legal_vps;
