"""Nothing of the pre-review is registered in the data-maintenance admin, on purpose: the
applicants' materials are seen only through the app's checked views (the applicant's link, the
reviewers of the matter's department and center, the center admin), and reviews are audited."""
