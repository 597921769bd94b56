// How both apps word an officer's standing the same way: the one training status (KY 22), the
// principal's feedback ratings (KY 25, 26) and each party's part in a semester review (KY 8).

// One status for the three training measures: met only when all are; not met when one has failed.
export function trainingStatus(training) {
  const statuses = [training.basic_course.status, training.yearly_course.status, training.topics.status];
  if (statuses.every((status) => status === "met")) return "met";
  return statuses.some((status) => status === "missing" || status === "not_met") ? "not_met" : "in_progress";
}

const DISCIPLINE_WORDS = { yes: "Yes", mostly: "Mostly", no: "No" };

// "Builds relationships: 4 of 5 · Responsive: 5 of 5 · Stayed out of discipline: Mostly"
export function ratingsLine(answer) {
  return `Builds relationships: ${answer.relationships} of 5 · Responsive: ${answer.responsiveness} of 5 · `
    + `Stayed out of discipline: ${DISCIPLINE_WORDS[answer.stayed_out_of_discipline]}`;
}

// A supervisor's or principal's part in a semester review, as the officer reads it.
export const PARTY_WORDS = { confirmed: "confirmed", disputed: "disputed", pending: "not yet confirmed" };
