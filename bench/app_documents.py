"""The four documents an app sends, written as an app writes them (and a 100-tour page), each
with an `$after` variable: shared by the benchmarks and by the planner's equality test, which
holds their answers to the generic executor's."""

TOUR_LIST = """query TourList($after: DateTime) { tours(first: 20) { totalCount edges { node {
  id slug title priceVnd durationMinutes languages
  village { slug name } center { name } district { name }
  sessions(first: 5, startsAfter: $after) { edges { node {
    id startsAt endsAt capacity seatsAvailable availability } } }
} } } }"""
TOUR_PAGE = """query TourPage($after: DateTime) { tour(slug: "ngu-xa-bronze-heritage") {
  id slug title description durationMinutes languages maxSeatsPerBooking
  prices { category label priceVnd } village { slug name description } center { slug name address }
  district { name } sessions(first: 20, startsAfter: $after) { totalCount edges { node {
    id startsAt endsAt seatsAvailable availability bookingClosesAt } } } } }"""
VILLAGE_PAGE = """query VillagePage($after: DateTime) { villages(search: "Bát Tràng", first: 1) { edges { node {
  id slug name description craft { name } district { name }
  tours(first: 10) { totalCount edges { node { slug title priceVnd
    sessions(first: 3, startsAfter: $after) { edges { node { startsAt seatsAvailable availability } } } } } } } } }
  ocopProducts(filter: { villageSlug: "bat-trang" }, first: 10) { totalCount edges { node {
    slug name producer stars soldAt(first: 3) { edges { node { name } } } } } } }"""
NEAR_ME = """query NearMe($after: DateTime) {
  tours(filter: { near: { lat: 21.0, lon: 105.85, radiusKm: 25 }, startsAfter: $after }, first: 10) {
    totalCount edges { node { slug title priceVnd village { name location { lat lon } }
      sessions(first: 2, startsAfter: $after) { edges { node { startsAt availability } } } } } } }"""
PAGE_100 = TOUR_LIST.replace("tours(first: 20)", "tours(first: 100)")
DOCUMENTS = {
    "tour list": TOUR_LIST,
    "tour page": TOUR_PAGE,
    "village": VILLAGE_PAGE,
    "near me": NEAR_ME,
    "page 100": PAGE_100,
}
