-- +goose Up
-- Ledger-imported projects at signed or later stages enter as pending
-- verification (待核实) and count in no figure until a verifier with
-- project:verify confirms them, with the signed agreement or, for history
-- before the first open month, a recorded reason.
-- verify_status: '' (registered through the stages), 'pending', 'verified'.
ALTER TABLE projects ADD COLUMN verify_status TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN verified_by BIGINT REFERENCES users(id);
ALTER TABLE projects ADD COLUMN verified_at TIMESTAMPTZ;
ALTER TABLE projects ADD COLUMN verify_note TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN verify_attachment_id BIGINT REFERENCES project_attachments(id);
CREATE INDEX projects_pending ON projects(owner_unit_id) WHERE verify_status = 'pending';

-- An approved screening covers the figures it screened: the project's
-- investment, land, industry, investor and locality as they stood when it
-- was approved (JSON), compared by the signing gate.
ALTER TABLE evaluations ADD COLUMN screened_json TEXT NOT NULL DEFAULT '';

-- Approving a screening is the director's (role director), no longer every
-- commission-office member's: separation of duties.
UPDATE roles SET permissions = btrim(replace(',' || permissions || ',', ',evaluation:approve,', ','), ',')
    WHERE code = 'commission' AND builtin;

-- Negative-list items name the GB/T 4754 classes (4 digits) they cover,
-- space-separated: a foreign-funded project is matched on its class, not
-- on the section letter. The 2024 outline's classes are filled in by
-- SeedNegativeList from its CSV.
ALTER TABLE negative_list ADD COLUMN classes TEXT NOT NULL DEFAULT '';

-- The unit handling an approval step (a department): it sees the step,
-- and the project facts it needs, on its home page and may update it.
ALTER TABLE project_approvals ADD COLUMN unit_id BIGINT REFERENCES units(id);

-- A parcel's recorded reason: why it went to a project outside the
-- landing locality, or why its supply was released.
ALTER TABLE parcels ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- +goose Down
SELECT 1;
