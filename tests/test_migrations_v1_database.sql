-- A database made by wksbm's first released schema (m001_initial, commit d1a7780), with a few
-- records. Frozen: tests/test_migrations.py upgrades it to the current schema.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'wksbm','m001_initial','2026-11-28 15:30:14.795141+00:00');
CREATE TABLE activities (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            institution_id INTEGER REFERENCES institutions(id),
            kind TEXT NOT NULL CHECK (kind IN ('meeting', 'program', 'outreach', 'advocacy', 'training', 'other')), held_on TEXT NOT NULL,
            title TEXT, attendees INTEGER CHECK (attendees >= 0), notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO "activities" VALUES(1,1,NULL,'meeting','2021-02-10','Rapat WKSBM',15,NULL,'01a222c7-4691-7f93-bd52-81c32cb99d77','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
CREATE TABLE case_events (
            id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
            on_date TEXT NOT NULL, old_status TEXT, new_status TEXT NOT NULL, note TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO "case_events" VALUES(1,2,'2021-04-01','reported','resolved',NULL,'01a222c7-4693-789b-90c5-a86e421a0b00','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
CREATE TABLE cases (
            id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,
            village_id INTEGER NOT NULL REFERENCES villages(id),
            category TEXT NOT NULL REFERENCES pmks_categories(code),
            person_name TEXT NOT NULL, person_key TEXT NOT NULL, nik TEXT,
            gender TEXT CHECK (gender IN ('L', 'P')), birth_year INTEGER,
            reported_on TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('reported', 'in_handling', 'resolved', 'referred', 'closed')),
            handled_by INTEGER REFERENCES institutions(id), resolved_on TEXT, notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO "cases" VALUES(1,'KS-2021-0001',1,'lansia-terlantar','Mbok Sarmi','mboksarmi','3513134107450001','P',NULL,'2021-02-03','reported',NULL,NULL,NULL,'01a222c7-4692-7655-9f49-8fbb4a80ba91','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
INSERT INTO "cases" VALUES(2,'KS-2021-0002',2,'fakir-miskin','Pak Darmo','pakdarmo',NULL,NULL,NULL,'2021-03-01','resolved',NULL,'2021-04-01',NULL,'01a222c7-4693-7034-963a-78682ccb2bfe','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
CREATE TABLE institution_types (
            code TEXT PRIMARY KEY, name_id TEXT NOT NULL, name_en TEXT,
            builtin INTEGER NOT NULL DEFAULT 0);
INSERT INTO "institution_types" VALUES('arisan','Kelompok Arisan','Rotating savings group',1);
INSERT INTO "institution_types" VALUES('kube','Kelompok Usaha Bersama (KUBE)','Joint business group',1);
INSERT INTO "institution_types" VALUES('lumbung-desa','Lumbung Desa','Village grain bank',1);
INSERT INTO "institution_types" VALUES('karang-taruna','Karang Taruna','Village youth organisation',1);
INSERT INTO "institution_types" VALUES('pkk','Tim Penggerak PKK','Family welfare movement (PKK)',1);
INSERT INTO "institution_types" VALUES('majelis-taklim','Majelis Taklim / Kelompok Pengajian','Religious study group',1);
INSERT INTO "institution_types" VALUES('rukun-kematian','Rukun Kematian','Funeral mutual-aid society',1);
INSERT INTO "institution_types" VALUES('posyandu','Posyandu','Integrated health post',1);
INSERT INTO "institution_types" VALUES('kelompok-tani','Kelompok Tani','Farmers'' group',1);
INSERT INTO "institution_types" VALUES('lks','Lembaga Kesejahteraan Sosial (LKS)','Social welfare institution',1);
INSERT INTO "institution_types" VALUES('psm','Pekerja Sosial Masyarakat (PSM)','Community social workers',1);
INSERT INTO "institution_types" VALUES('other','Lainnya','Other',1);
CREATE TABLE institutions (
            id INTEGER PRIMARY KEY, village_id INTEGER NOT NULL REFERENCES villages(id),
            name TEXT NOT NULL, name_key TEXT NOT NULL,
            type TEXT NOT NULL REFERENCES institution_types(code),
            leader TEXT, members INTEGER CHECK (members >= 0), joined_on TEXT, notes TEXT,
            uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, UNIQUE (village_id, name_key));
INSERT INTO "institutions" VALUES(1,1,'KUBE Sejahtera','kubesejahtera','kube',NULL,12,'2019-04-01',NULL,'01a222c7-4691-7bb3-8ac4-41874e7ab047','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
CREATE TABLE pmks_categories (
            code TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE,
            name_id TEXT NOT NULL, name_en TEXT);
INSERT INTO "pmks_categories" VALUES('anak-balita-terlantar',1,'Anak Balita Terlantar','Neglected child under five');
INSERT INTO "pmks_categories" VALUES('anak-terlantar',2,'Anak Terlantar','Neglected child');
INSERT INTO "pmks_categories" VALUES('anak-berhadapan-hukum',3,'Anak yang Berhadapan dengan Hukum','Child in conflict with the law');
INSERT INTO "pmks_categories" VALUES('anak-jalanan',4,'Anak Jalanan','Street child');
INSERT INTO "pmks_categories" VALUES('anak-disabilitas',5,'Anak dengan Kedisabilitasan','Child with a disability');
INSERT INTO "pmks_categories" VALUES('anak-korban-kekerasan',6,'Anak yang Menjadi Korban Tindak Kekerasan atau Diperlakukan Salah','Child victim of violence or mistreatment');
INSERT INTO "pmks_categories" VALUES('anak-perlindungan-khusus',7,'Anak yang Memerlukan Perlindungan Khusus','Child in need of special protection');
INSERT INTO "pmks_categories" VALUES('lansia-terlantar',8,'Lanjut Usia Terlantar','Neglected elderly person');
INSERT INTO "pmks_categories" VALUES('penyandang-disabilitas',9,'Penyandang Disabilitas','Person with a disability');
INSERT INTO "pmks_categories" VALUES('tuna-susila',10,'Tuna Susila','Person in prostitution');
INSERT INTO "pmks_categories" VALUES('gelandangan',11,'Gelandangan','Homeless person');
INSERT INTO "pmks_categories" VALUES('pengemis',12,'Pengemis','Beggar');
INSERT INTO "pmks_categories" VALUES('pemulung',13,'Pemulung','Scavenger');
INSERT INTO "pmks_categories" VALUES('kelompok-minoritas',14,'Kelompok Minoritas','Minority group');
INSERT INTO "pmks_categories" VALUES('bekas-warga-binaan',15,'Bekas Warga Binaan Lembaga Pemasyarakatan','Former prison inmate');
INSERT INTO "pmks_categories" VALUES('odha',16,'Orang dengan HIV/AIDS','Person living with HIV/AIDS');
INSERT INTO "pmks_categories" VALUES('korban-napza',17,'Korban Penyalahgunaan NAPZA','Victim of drug abuse');
INSERT INTO "pmks_categories" VALUES('korban-trafficking',18,'Korban Trafficking','Victim of trafficking');
INSERT INTO "pmks_categories" VALUES('korban-tindak-kekerasan',19,'Korban Tindak Kekerasan','Victim of violence');
INSERT INTO "pmks_categories" VALUES('pekerja-migran-bermasalah',20,'Pekerja Migran Bermasalah Sosial','Migrant worker with social problems');
INSERT INTO "pmks_categories" VALUES('korban-bencana-alam',21,'Korban Bencana Alam','Victim of natural disaster');
INSERT INTO "pmks_categories" VALUES('korban-bencana-sosial',22,'Korban Bencana Sosial','Victim of social disaster');
INSERT INTO "pmks_categories" VALUES('perempuan-rawan-sosial-ekonomi',23,'Perempuan Rawan Sosial Ekonomi','Socio-economically vulnerable woman');
INSERT INTO "pmks_categories" VALUES('fakir-miskin',24,'Fakir Miskin','Destitute poor');
INSERT INTO "pmks_categories" VALUES('keluarga-bermasalah-sosial-psikologis',25,'Keluarga Bermasalah Sosial Psikologis','Family with social-psychological problems');
INSERT INTO "pmks_categories" VALUES('komunitas-adat-terpencil',26,'Komunitas Adat Terpencil','Remote indigenous community');
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO "settings" VALUES('formed.min_institutions','4','2026-11-28T15:30:14Z');
INSERT INTO "settings" VALUES('running.activity_window_days','90','2026-11-28T15:30:14Z');
INSERT INTO "settings" VALUES('active.min_age_days','365','2026-11-28T15:30:14Z');
INSERT INTO "settings" VALUES('active.sustained_windows','3','2026-11-28T15:30:14Z');
INSERT INTO "settings" VALUES('active.resolved_window_days','365','2026-11-28T15:30:14Z');
CREATE TABLE villages (
            id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT NOT NULL, name_key TEXT NOT NULL,
            kecamatan TEXT, kabupaten TEXT, formed_on TEXT, decree TEXT, notes TEXT, uid TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
INSERT INTO "villages" VALUES(1,'35.13.13.2013','Randujalak','randujalak','Besuk','Probolinggo','2019-03-01','SK 12/2019',NULL,'01a222c7-4690-7763-b949-41c554ca1951','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
INSERT INTO "villages" VALUES(2,'35.13.13.2003','Alasnyiur','alasnyiur','Besuk','Probolinggo',NULL,NULL,NULL,'01a222c7-4690-788b-95da-35200556c7df','2026-11-28T15:30:14Z','2026-11-28T15:30:14Z');
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX villages_name_key ON villages(name_key);
CREATE INDEX activities_village_held_on ON activities(village_id, held_on);
CREATE INDEX cases_village_id ON cases(village_id);
CREATE INDEX case_events_case_id ON case_events(case_id, on_date);
COMMIT;
