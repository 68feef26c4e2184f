-- packdesk schema version 75: how many attempts of an outbox row ended with the answer lost
-- after the request went out (an e-mail SendGrid may have accepted), so that such a row is
-- sent again at most a set number of times before it stops for a person.
ALTER TABLE outbox ADD COLUMN unclear INTEGER NOT NULL DEFAULT 0;
