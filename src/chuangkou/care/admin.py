"""Nothing of 人文关怀 is registered in the data-maintenance admin, on purpose: leave days,
counseling bookings, notes and care talks are seen only through the app's own checks (the
person, the counselor of the appointment, the holder of a talk, the center admin)."""
