// Reads an iCalendar document on stdin with ical.js and prints its events as JSON, with each
// start expressed in UTC and in the event's own zone, so the Python tests can compare them.
import ICAL from "ical.js";

let text = "";
for await (const chunk of process.stdin) text += chunk;

const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    localStart: event.startDate.toString(),
    utcStart: event.startDate.toJSDate().toISOString(),
    geo: component.getFirstPropertyValue("geo"),
  };
});
process.stdout.write(JSON.stringify({ timezones: calendar.getAllSubcomponents("vtimezone").length, events }));
