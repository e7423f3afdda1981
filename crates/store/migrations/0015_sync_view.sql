-- What the server sends this desk's user ("full", or "no_money_no_kyc" for
-- a caretaker), as its last pulled page said. When it changes (the user's
-- role changed on the server), the desk pulls again from the start: a
-- caretaker's desk then drops money and KYC, a promoted user's desk gets
-- what it was not sent before.
ALTER TABLE sync_link ADD COLUMN pulled_view TEXT;
