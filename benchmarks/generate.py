#!/usr/bin/env python3
"""Write a complete, self-contained Katko project with N synthetic outage records.

    .venv/bin/python benchmarks/generate.py N OUT_DIR [--seed S] [--now TIME]

OUT_DIR receives a copy of the repository's ``mkdocs.yml``, ``overrides/``,
``locales/``, ``docs/`` and ``outages/services.yml``, and N outage records in
``OUT_DIR/outages/``. The records are deterministic for a given N and seed:

* about 60 % planned and 40 % unplanned outages of the services in the
  catalogue (one in ten affects two services);
* start times spread evenly over 2024-01 .. 2027-06, so past years fill the
  archive and some outages are still to come; planned work at night or in the
  evening, disruptions in the daytime;
* the end 1–8 h after the start, planned work within its services' service
  level (``max_outage``);
* ``public_from`` 35 days before the start for planned outages, more than the
  notice policy asks of any of them. A disruption
  cannot be announced before it happens, so an unplanned outage becomes public
  10–40 minutes after it starts (its record is a report, not a forecast);
* title, summary, details, still_works and alternatives in fi, sv and en, of
  the length of the example records (a few sentences; Markdown lists and bold
  leads), 1–2 stakeholder groups, 0–3 updates (a disruption at least one) and
  an ``internal`` section, with an evaluation once the outage has ended;
* statuses that fit the reference moment ``--now`` (the benchmark's
  ``KATKO_NOW``): past disruptions are resolved, past planned work ended, about
  6 % of planned outages cancelled. Disruptions lie in the past: one that
  would start after ``--now`` is planned work instead.

The generated set is checked with ``katko check`` before the script returns;
the script fails if the check reports any problem.

The repository's translation catalogs are copied as they are. If a catalog is
incomplete (Katko refuses to build with untranslated texts), the *copy* gets
the English source text for each missing translation, so that the benchmark
can build; the script says so. The repository itself is never changed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
if "katko" not in sys.modules:  # run.py may have imported a snapshot of the code already
    sys.path.insert(0, str(REPO / "plugins"))

from katko.core.times import HELSINKI, TimeError, localize, parse_duration, parse_time  # noqa: E402

DEFAULT_SEED = 20261201
DEFAULT_NOW = "2026-12-01T12:00:00+02:00"
FIRST_DAY = datetime(2024, 1, 1)
LAST_DAY = datetime(2027, 6, 30)

# --------------------------------------------------------------------------- #
# Dates as each language writes them
# --------------------------------------------------------------------------- #

WEEKDAYS = {
    "fi": ["ma", "ti", "ke", "to", "pe", "la", "su"],
    "sv": ["må", "ti", "on", "to", "fre", "lö", "sö"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def local(dt: datetime) -> datetime:
    return dt.astimezone(HELSINKI)


def clock(dt: datetime, lang: str) -> str:
    dt = local(dt)
    return f"{dt.hour}:{dt.minute:02d}" if lang == "en" else f"{dt.hour}.{dt.minute:02d}"


def day(dt: datetime, lang: str, *, year: bool = True) -> str:
    dt = local(dt)
    wd = WEEKDAYS[lang][dt.weekday()]
    if lang == "en":
        return f"{wd} {dt.day} {MONTHS_EN[dt.month - 1]}" + (f" {dt.year}" if year else "")
    if lang == "fi":
        return f"{wd} {dt.day}.{dt.month}." + (f"{dt.year}" if year else "")
    return f"{wd} {dt.day}.{dt.month}" + (f".{dt.year}" if year else "")


def moment(dt: datetime, lang: str) -> str:
    at = {"fi": "klo", "sv": "kl.", "en": "at"}[lang]
    return f"{day(dt, lang)} {at} {clock(dt, lang)}"


def period(start: datetime, end: datetime, lang: str) -> str:
    if local(start).date() == local(end).date():
        if lang == "en":
            return f"on {day(start, lang)} from {clock(start, lang)} to {clock(end, lang)}"
        at = {"fi": "klo", "sv": "kl."}[lang]
        return f"{day(start, lang)} {at} {clock(start, lang)}–{clock(end, lang)}"
    if lang == "en":
        return f"from {moment(start, lang)} to {moment(end, lang)}"
    return f"{moment(start, lang)} – {moment(end, lang)}"


class Quoted(str):
    """A value written in double quotes, as the record format's examples write times."""


def record_time(dt: datetime) -> str:
    """Finnish local time as staff write it, or ISO with an offset where the clock repeats."""
    text = local(dt).strftime("%Y-%m-%d %H:%M")
    try:
        if parse_time(text) == dt:
            return Quoted(text)
    except TimeError:
        pass
    return Quoted(local(dt).isoformat(timespec="minutes"))


def at_local(date: datetime, hour: int, minute: int) -> datetime:
    """An aware moment at a Finnish wall-clock time, moved on an hour if the clock skips or repeats it."""
    naive = date.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=None)
    for shift in range(3):
        try:
            return localize(naive + timedelta(hours=shift)).astimezone(timezone.utc)
        except TimeError:
            continue
    raise AssertionError(naive)


# --------------------------------------------------------------------------- #
# Text pools: {svc} is the service's name, {when} the outage period, {start}
# and {end} moments, {day} the start day. Every entry is (fi, sv, en).
# --------------------------------------------------------------------------- #

PLANNED = {
    "version": {
        "slug": "versiopaivitys",
        "title": ("{svc} ei ole käytössä {day} – versiopäivitys",
                  "{svc} är ur bruk {day} – versionsuppdatering",
                  "{svc} unavailable on {day} – version update"),
        "cause": ("Palvelun ohjelmisto päivitetään uuteen versioon, joka korjaa virheitä ja nopeuttaa hakuja.",
                  "Tjänstens programvara uppdateras till en ny version som rättar fel och gör sökningarna snabbare.",
                  "The service's software is updated to a new version that fixes errors and makes searches faster."),
        "cause_long": ("Palvelun ohjelmisto päivitetään uuteen versioon. Päivitys korjaa käyttäjien ilmoittamia "
                       "virheitä ja nopeuttaa hakuja. Päivityksen aikana tietokannan rakenne muuttuu, joten "
                       "palvelua ei voi käyttää ennen kuin muutokset on tarkistettu.",
                       "Tjänstens programvara uppdateras till en ny version. Uppdateringen rättar fel som användarna "
                       "har rapporterat och gör sökningarna snabbare. Under uppdateringen ändras databasens "
                       "struktur, så tjänsten kan inte användas förrän ändringarna har kontrollerats.",
                       "The service's software is updated to a new version. The update fixes errors reported by "
                       "users and makes searches faster. The structure of the database changes during the update, "
                       "so the service cannot be used until the changes have been checked."),
    },
    "servers": {
        "slug": "palvelinsiirto",
        "title": ("{svc}: palvelinsiirto {day}",
                  "{svc}: serverflytt {day}",
                  "{svc}: move to new servers on {day}"),
        "cause": ("Palvelu siirretään uusille palvelimille.",
                  "Tjänsten flyttas till nya servrar.",
                  "The service is moved to new servers."),
        "cause_long": ("Palvelu siirretään uusille, nykyistä tehokkaammille palvelimille. Siirron aikana tietoja "
                       "ei voi käyttää, jotta mitään ei katoa. Ajankohta on valittu niin, että palvelua käytetään "
                       "silloin mahdollisimman vähän.",
                       "Tjänsten flyttas till nya, effektivare servrar. Under flytten kan uppgifterna inte användas, "
                       "så att ingenting går förlorat. Tidpunkten har valts så att tjänsten används så lite som "
                       "möjligt.",
                       "The service is moved to new, more powerful servers. The data cannot be used during the "
                       "move, so that nothing is lost. The time has been chosen because the service is used least "
                       "then."),
    },
    "database": {
        "slug": "tietokantahuolto",
        "title": ("Huoltokatko: {svc} {day}",
                  "Serviceavbrott: {svc} {day}",
                  "Maintenance break: {svc} on {day}"),
        "cause": ("Palvelun tietokanta huolletaan.",
                  "Tjänstens databas underhålls.",
                  "The service's database is maintained."),
        "cause_long": ("Palvelun tietokanta huolletaan ja sen varmuuskopiointi tarkistetaan. Huolto tehdään "
                       "säännöllisesti, jotta palvelu pysyy nopeana ja tiedot turvassa.",
                       "Tjänstens databas underhålls och säkerhetskopieringen kontrolleras. Underhållet görs "
                       "regelbundet så att tjänsten förblir snabb och uppgifterna säkra.",
                       "The service's database is maintained and its backups are checked. This maintenance is done "
                       "regularly to keep the service fast and the data safe."),
    },
    "security": {
        "slug": "tietoturvapaivitys",
        "title": ("{svc}: tietoturvapäivitys {day}",
                  "{svc}: säkerhetsuppdatering {day}",
                  "{svc}: security update on {day}"),
        "cause": ("Palveluun asennetaan tietoturvapäivityksiä.",
                  "Säkerhetsuppdateringar installeras i tjänsten.",
                  "Security updates are installed in the service."),
        "cause_long": ("Palvelun palvelimiin ja ohjelmistoihin asennetaan tietoturvapäivityksiä. Päivitykset "
                       "suojaavat palvelua ja sinun tietojasi. Palvelimet käynnistetään päivityksen jälkeen "
                       "uudelleen, ja palvelun toiminta tarkistetaan ennen kuin se avataan.",
                       "Säkerhetsuppdateringar installeras på tjänstens servrar och i programvaran. "
                       "Uppdateringarna skyddar tjänsten och dina uppgifter. Servrarna startas om efter "
                       "uppdateringen och tjänsten kontrolleras innan den öppnas igen.",
                       "Security updates are installed on the service's servers and software. The updates protect "
                       "the service and your information. The servers are restarted after the update, and the "
                       "service is checked before it is opened again."),
    },
    "network": {
        "slug": "verkkohuolto",
        "title": ("Konesalin verkkohuolto {day}: {svc} ei ole käytössä",
                  "Nätverksunderhåll i datacentralen {day}: {svc} är ur bruk",
                  "Data centre network maintenance on {day}: {svc} unavailable"),
        "cause": ("Konesalin tietoliikenneyhteyksiä huolletaan.",
                  "Datacentralens nätverksförbindelser underhålls.",
                  "The data centre's network connections are maintained."),
        "cause_long": ("Kaupungin konesalin tietoliikenneyhteyksiä huolletaan ja verkkolaitteita vaihdetaan. "
                       "Työn aikana palvelu ei ole yhteydessä internetiin. Muut samassa konesalissa toimivat "
                       "palvelut voivat olla katkon aikana hitaita.",
                       "Stadens datacentrals nätverksförbindelser underhålls och nätverksutrustning byts ut. Under "
                       "arbetet har tjänsten ingen förbindelse till internet. Andra tjänster i samma datacentral "
                       "kan vara långsamma under avbrottet.",
                       "The network connections of the city's data centre are maintained and network equipment is "
                       "replaced. During the work the service has no connection to the internet. Other services "
                       "in the same data centre may be slow during the outage."),
    },
    "identification": {
        "slug": "tunnistusmuutos",
        "title": ("{svc}: kirjautuminen muuttuu {day}",
                  "{svc}: inloggningen ändras {day}",
                  "{svc}: logging in changes on {day}"),
        "cause": ("Palvelun kirjautuminen siirretään uuteen tunnistuspalveluun.",
                  "Inloggningen i tjänsten flyttas till en ny identifieringstjänst.",
                  "Logging in to the service is moved to a new identification service."),
        "cause_long": ("Palvelun kirjautuminen siirretään uuteen tunnistuspalveluun. Jatkossa voit tunnistautua "
                       "pankkitunnuksilla, mobiilivarmenteella tai varmennekortilla kuten ennenkin, mutta "
                       "kirjautumissivu näyttää erilaiselta.",
                       "Inloggningen i tjänsten flyttas till en ny identifieringstjänst. I fortsättningen kan du "
                       "identifiera dig med bankkoder, mobilcertifikat eller certifikatkort som tidigare, men "
                       "inloggningssidan ser annorlunda ut.",
                       "Logging in to the service is moved to a new identification service. You can still identify "
                       "yourself with online banking codes, a mobile certificate or a certificate card, but the "
                       "login page looks different."),
    },
}

UNPLANNED = {
    "slow": {
        "slug": "hitaus", "impact": "slow",
        "title": ("Häiriö: {svc} toimii hitaasti", "Störning: {svc} är långsam", "Disruption: {svc} is slow"),
        "cause": ("Palvelun palvelimet ovat ylikuormittuneet.", "Tjänstens servrar är överbelastade.",
                  "The service's servers are overloaded."),
        "cause_long": ("Palvelun palvelimet ovat ylikuormittuneet, ja sivut latautuvat hitaasti tai eivät "
                       "lataudu lainkaan. Selvitämme, mistä kuormitus johtuu.",
                       "Tjänstens servrar är överbelastade och sidorna laddas långsamt eller inte alls. Vi utreder "
                       "vad belastningen beror på.",
                       "The service's servers are overloaded, and pages load slowly or not at all. We are finding "
                       "out what is causing the load."),
    },
    "login": {
        "slug": "kirjautumishairio", "impact": "unavailable",
        "title": ("Häiriö: palveluun {svc} ei voi kirjautua", "Störning: det går inte att logga in i {svc}",
                  "Disruption: logging in to {svc} fails"),
        "cause": ("Tunnistuspalvelussa on vika.", "Det finns ett fel i identifieringstjänsten.",
                  "There is a fault in the identification service."),
        "cause_long": ("Valtakunnallisessa tunnistuspalvelussa on vika, jonka vuoksi kirjautuminen ei onnistu. "
                       "Vika ei koske vain kaupungin palveluja. Jos olit jo kirjautunut, voit jatkaa asiointia.",
                       "Det finns ett fel i den nationella identifieringstjänsten, och därför går det inte att "
                       "logga in. Felet gäller inte bara stadens tjänster. Om du redan var inloggad kan du fortsätta.",
                       "A fault in the national identification service stops logging in. The fault does not only "
                       "affect the city's services. If you were already logged in, you can carry on."),
    },
    "payments": {
        "slug": "maksuhairio", "impact": "partial",
        "title": ("Häiriö: palvelussa {svc} maksaminen ei onnistu", "Störning: betalningar fungerar inte i {svc}",
                  "Disruption: payments fail in {svc}"),
        "cause": ("Maksunvälittäjän yhteydessä on vika.", "Det finns ett fel i förbindelsen till "
                  "betalningsförmedlaren.", "There is a fault in the connection to the payment provider."),
        "cause_long": ("Yhteydessä maksunvälittäjään on vika, joten korttimaksut ja verkkopankkimaksut "
                       "keskeytyvät. Keskeytynyttä maksua ei veloiteta tililtäsi.",
                       "Det finns ett fel i förbindelsen till betalningsförmedlaren, så kortbetalningar och "
                       "nätbanksbetalningar avbryts. En avbruten betalning debiteras inte från ditt konto.",
                       "There is a fault in the connection to the payment provider, so card and online bank "
                       "payments are interrupted. An interrupted payment is not charged to your account."),
    },
    "attachments": {
        "slug": "liitehairio", "impact": "partial",
        "title": ("Häiriö: palveluun {svc} ei voi lähettää liitteitä",
                  "Störning: bilagor kan inte skickas i {svc}",
                  "Disruption: attachments cannot be sent in {svc}"),
        "cause": ("Liitteiden virustarkistuksessa on vika.", "Det finns ett fel i viruskontrollen av bilagor.",
                  "There is a fault in the virus check of attachments."),
        "cause_long": ("Liitteiden virustarkistuksessa on vika, joka estää liitteiden siirtämisen palveluun. "
                       "Hakemukset ilman liitteitä lähtevät tavallisesti. Keskeneräiset hakemukset tallentuvat "
                       "luonnoksiksi.",
                       "Det finns ett fel i viruskontrollen av bilagor som hindrar bilagorna från att överföras "
                       "till tjänsten. Ansökningar utan bilagor skickas som vanligt. Halvfärdiga ansökningar "
                       "sparas som utkast.",
                       "A fault in the virus check of attachments stops attachments from being transferred to "
                       "the service. Applications without attachments are sent as usual. Unfinished applications "
                       "are saved as drafts."),
    },
    "network": {
        "slug": "verkkovika", "impact": "unavailable",
        "title": ("Häiriö: {svc} ei ole käytössä", "Störning: {svc} är ur bruk", "Disruption: {svc} unavailable"),
        "cause": ("Konesalin verkkoyhteydessä on vika.", "Det finns ett fel i datacentralens nätverksförbindelse.",
                  "There is a fault in the data centre's network connection."),
        "cause_long": ("Konesalin verkkoyhteydessä on vika, joten palveluun ei saa yhteyttä. Palveluun "
                       "tallennetut tiedot ovat tallessa. Palveluntarjoaja korjaa vikaa.",
                       "Det finns ett fel i datacentralens nätverksförbindelse, så det går inte att nå tjänsten. "
                       "Uppgifterna i tjänsten är i tryggt förvar. Leverantören åtgärdar felet.",
                       "A fault in the data centre's network connection makes the service unreachable. The "
                       "information stored in the service is safe. The supplier is fixing the fault."),
    },
    "readonly": {
        "slug": "tallennushairio", "impact": "read_only",
        "title": ("Häiriö: palvelussa {svc} ei voi tallentaa muutoksia",
                  "Störning: ändringar kan inte sparas i {svc}",
                  "Disruption: changes cannot be saved in {svc}"),
        "cause": ("Tietokannan levytila on loppunut.", "Databasens diskutrymme har tagit slut.",
                  "The database has run out of disk space."),
        "cause_long": ("Tietokannan levytila on loppunut, joten palvelu toimii vain lukutilassa. Voit katsella "
                       "tietojasi, mutta et tallentaa tai lähettää mitään.",
                       "Databasens diskutrymme har tagit slut, så tjänsten fungerar bara i läsläge. Du kan se "
                       "dina uppgifter men inte spara eller skicka något.",
                       "The database has run out of disk space, so the service is read-only. You can view your "
                       "information but cannot save or send anything."),
    },
}

IMPACT_SENTENCE = {
    "unavailable": ("{svc} ei ole käytössä {when}.", "{svc} är ur bruk {when}.",
                    "{svc} is unavailable {when}."),
    "read_only": ("{svc} toimii vain lukutilassa {when}: voit katsella tietoja, mutta et tallentaa muutoksia.",
                  "{svc} fungerar bara i läsläge {when}: du kan se uppgifterna men inte spara ändringar.",
                  "{svc} is read-only {when}: you can view information but cannot save changes."),
    "partial": ("Osa palvelun {svc} toiminnoista ei ole käytössä {when}.",
                "En del av funktionerna i {svc} är ur bruk {when}.",
                "Some functions of {svc} are unavailable {when}."),
    "slow": ("{svc} toimii tavallista hitaammin {when}.", "{svc} är långsammare än vanligt {when}.",
             "{svc} is slower than usual {when}."),
}

WHAT_FAILS = {
    "unavailable": ("Et voi kirjautua palveluun etkä käyttää sen toimintoja. Et voi täyttää, täydentää tai "
                    "lähettää hakemuksia, etkä lukea päätöksiä tai viestejä palvelussa.",
                    "Du kan inte logga in i tjänsten eller använda dess funktioner. Du kan inte fylla i, "
                    "komplettera eller skicka ansökningar, och inte heller läsa beslut eller meddelanden.",
                    "You cannot log in to the service or use any of its functions. You cannot fill in, add to "
                    "or send applications, or read decisions or messages in the service."),
    "read_only": ("Voit kirjautua ja katsella tietojasi, mutta et voi tallentaa muutoksia, lähettää hakemuksia "
                  "tai ladata liitteitä.",
                  "Du kan logga in och se dina uppgifter, men du kan inte spara ändringar, skicka ansökningar "
                  "eller ladda upp bilagor.",
                  "You can log in and view your information, but you cannot save changes, send applications or "
                  "upload attachments."),
    "partial": ("Osa toiminnoista ei toimi: hakemusten lähettäminen tai maksaminen voi keskeytyä. Kirjautuminen "
                "ja tietojen katselu toimivat.",
                "En del funktioner fungerar inte: det kan avbrytas när du skickar ansökningar eller betalar. "
                "Inloggning och att se uppgifterna fungerar.",
                "Some functions do not work: sending applications or paying may be interrupted. Logging in and "
                "viewing information work."),
    "slow": ("Sivut latautuvat hitaasti, ja haut voivat kestää useita minuutteja. Lähettäminen voi katketa, "
             "jos odotat liian kauan.",
             "Sidorna laddas långsamt och sökningar kan ta flera minuter. Sändningen kan avbrytas om du väntar "
             "för länge.",
             "Pages load slowly and searches may take several minutes. Sending may fail if you wait too long."),
}

SAVED = [
    ("**Tallentamasi tiedot säilyvät.** Jos olet kirjautuneena, kun katko alkaa, tallenna työsi ennen katkon "
     "alkua. Tallentamattomat muutokset voivat kadota.",
     "**Uppgifter som du har sparat finns kvar.** Om du är inloggad när avbrottet börjar, spara ditt arbete "
     "innan avbrottet. Ändringar som inte har sparats kan gå förlorade.",
     "**Your saved information is kept.** If you are logged in when the outage begins, save your work before "
     "it starts. Unsaved changes may be lost."),
    ("**Määräajat:** jos hakemuksen määräaika osuu katkon ajalle, se siirtyy katkoa seuraavaan arkipäivään. "
     "Sinun ei tarvitse pyytää tätä erikseen.",
     "**Tidsfrister:** om tidsfristen för en ansökan infaller under avbrottet, flyttas den till följande "
     "vardag. Du behöver inte be om det separat.",
     "**Deadlines:** if the deadline for an application falls during the outage, it moves to the next working "
     "day. You do not need to ask for this."),
    ("**Keskeneräiset asiat:** keskeneräinen hakemus odottaa sinua luonnoksena, kun palvelu on taas käytössä.",
     "**Halvfärdiga ärenden:** en halvfärdig ansökan väntar på dig som utkast när tjänsten fungerar igen.",
     "**Unfinished matters:** an unfinished application will be waiting for you as a draft when the service "
     "is back."),
]

APOLOGY = [
    ("Pahoittelemme katkosta aiheutuvaa haittaa.", "Vi beklagar olägenheten.",
     "We apologise for the inconvenience."),
    ("Pahoittelemme häiriöstä aiheutuvaa haittaa.", "Vi beklagar olägenheten som störningen orsakar.",
     "We apologise for the inconvenience caused by the disruption."),
]

ADVICE = [
    ("Kiireellisissä asioissa soita asiakaspalveluun.", "I brådskande ärenden kan du ringa kundtjänsten.",
     "For urgent matters, call customer service."),
    ("Tallentamasi tiedot säilyvät.", "Uppgifter som du har sparat finns kvar.",
     "Information you have saved is kept."),
    ("Määräajat siirtyvät katkoa seuraavaan arkipäivään.",
     "Tidsfristerna flyttas till vardagen efter avbrottet.",
     "Deadlines move to the working day after the outage."),
]

STILL_WORKS = [
    ("Kaupungin muut sähköiset palvelut toimivat normaalisti.",
     "Stadens övriga e-tjänster fungerar som vanligt.",
     "The city's other online services work normally."),
    ("Yleiset ohjeet ja lomakkeet osoitteessa <https://www.esimerkkila.example/lomakkeet>.",
     "Allmänna anvisningar och blanketter på <https://www.esimerkkila.example/blanketter>.",
     "General guidance and forms at <https://www.esimerkkila.example/forms>."),
    ("Asiointipisteet ja puhelinpalvelu palvelevat tavallisina aukioloaikoina.",
     "Servicepunkterna och telefontjänsten betjänar under de vanliga öppettiderna.",
     "Service points and telephone service are open at the usual times."),
    ("Laskun maksaminen verkkopankissa laskun tiedoilla.",
     "Att betala fakturan i nätbanken med uppgifterna på fakturan.",
     "Paying an invoice in your online bank with the details on the invoice."),
    ("Kirjastojen lainaus ja palautus, myös lainausautomaateilla.",
     "Lån och återlämning på biblioteken, också med låneautomaterna.",
     "Borrowing and returning in the libraries, including the self-service machines."),
    ("Jo lähetettyjen hakemusten käsittely jatkuu tavallisesti.",
     "Ansökningar som redan har skickats behandlas som vanligt.",
     "Applications already sent are handled as usual."),
]

ALT_INTRO = [
    ("Jos asiasi ei voi odottaa {day}, toimi näin:", "Om ditt ärende inte kan vänta {day}, gör så här:",
     "If your matter cannot wait on {day}:"),
    ("Katkon aikana {day} voit hoitaa asiasi myös muuten.",
     "Under avbrottet {day} kan du också sköta ärendet på annat sätt.",
     "During the outage on {day} you can also get your matter handled in other ways."),
]

ALT_ITEMS = [
    ("Soita kaupungin asiakaspalveluun **09 000 1000**, ma–pe klo 8.00–16.00.",
     "Ring stadens kundtjänst **09 000 1000**, må–fre kl. 8.00–16.00.",
     "Call the city customer service on **09 000 1000**, Mon–Fri 8:00–16:00."),
    ("Asioi paikan päällä **Asiointipiste Torikulmassa**, Torikatu 3. Ota mukaan henkilöllisyystodistus.",
     "Uträtta ärendet på plats vid **Servicepunkten Torghörnan**, Torggatan 3. Ta med ett identitetsbevis.",
     "Visit the **Torikulma service point**, Torikatu 3. Bring an identity document."),
    ("Lähetä liitteet sähköpostilla osoitteeseen kirjaamo@esimerkkila.example ja merkitse viestiin hakemuksen "
     "numero.",
     "Skicka bilagorna per e-post till kirjaamo@esimerkkila.example och ange ansökans nummer i meddelandet.",
     "E-mail the attachments to kirjaamo@esimerkkila.example and include the application number."),
    ("Asiakaspalvelussa on katkon aikana lisälinja: **09 000 1001**.",
     "Kundtjänsten har en extra linje under avbrottet: **09 000 1001**.",
     "Customer service has an extra line during the outage: **09 000 1001**."),
    ("Jos eräpäivä osuu katkon ajalle, voit maksaa katkoa seuraavana arkipäivänä ilman viivästyskorkoa.",
     "Om förfallodagen infaller under avbrottet kan du betala följande vardag utan dröjsmålsränta.",
     "If the due date falls during the outage, you can pay on the next working day without late interest."),
]

STAKEHOLDERS = {
    "rakennuslupa": [("Rakennusluvan hakijat", "De som ansöker om bygglov", "Building permit applicants"),
                     ("Pää- ja rakennesuunnittelijat", "Huvud- och konstruktionsplanerare",
                      "Principal and structural designers")],
    "asiointi": [("Oma Esimerkkilä -palvelun käyttäjät", "Användare av Mitt Exempelby",
                  "Users of My Esimerkkilä"),
                 ("Varhaiskasvatukseen hakevat perheet", "Familjer som ansöker om småbarnspedagogik",
                  "Families applying for early childhood education")],
    "maksut": [("Laskun verkossa maksavat asiakkaat", "Kunder som betalar fakturor på nätet",
                "Customers paying invoices online")],
    "kirjasto": [("Kirjaston asiakkaat", "Bibliotekets kunder", "Library customers"),
                 ("Koulujen ja päiväkotien henkilökunta", "Personal vid skolor och daghem",
                  "School and day-care staff")],
}
STAKEHOLDERS_ANY = [("Kaikki palvelun käyttäjät", "Alla användare av tjänsten", "All users of the service")]

UPDATES_PLANNED = {
    None: [("Katkon aikataulu on tarkentunut. Palvelu ei ole käytössä {when}.",
            "Tidtabellen för avbrottet har preciserats. Tjänsten är ur bruk {when}.",
            "The schedule has been confirmed. The service is unavailable {when}.")],
    "ongoing": [("Katko alkoi suunnitellusti. Palvelu ei ole käytössä {end} asti.",
                 "Avbrottet började som planerat. Tjänsten är ur bruk till {end}.",
                 "The outage began as planned. The service is unavailable until {end}.")],
    "ended": [("Katko päättyi {at}. Palvelu toimii taas normaalisti.",
               "Avbrottet upphörde {at}. Tjänsten fungerar igen som vanligt.",
               "The outage ended {at}. The service works normally again.")],
    "cancelled": [("Katko on peruttu. Palvelu on käytössä tavallisesti {day}.",
                   "Avbrottet är inställt. Tjänsten fungerar som vanligt {day}.",
                   "The outage has been cancelled. The service works as usual on {day}.")],
}
UPDATES_UNPLANNED = {
    "investigating": ("Palvelussa on ollut häiriö {start} alkaen. Selvitämme vian syytä.",
                      "Det har funnits en störning i tjänsten sedan {start}. Vi utreder orsaken till felet.",
                      "There has been a disruption in the service since {start}. We are investigating the cause."),
    "identified": ("Vian syy on löytynyt, ja korjaus on käynnissä. {cause}",
                   "Orsaken har hittats och felet åtgärdas. {cause}",
                   "The cause has been found and is being fixed. {cause}"),
    "monitoring": ("Vika korjattiin {at}. Seuraamme tilannetta ennen kuin häiriö merkitään päättyneeksi.",
                   "Felet åtgärdades {at}. Vi följer läget innan störningen markeras som avslutad.",
                   "The fault was fixed {at}. We are monitoring the situation before closing the disruption."),
    "resolved": ("Häiriö päättyi {at}, ja palvelu toimii taas normaalisti.",
                 "Störningen upphörde {at} och tjänsten fungerar igen som vanligt.",
                 "The disruption ended {at} and the service works normally again."),
}

RISKS = ["Tietokannan siirto voi kestää arvioitua pidempään; palautussuunnitelma valmis.",
         "Toimittajan päivystäjä tavoitettavissa vain katkon ajan.",
         "Asiakaspalvelun ruuhka katkon jälkeisenä aamuna.",
         "Luonnoksiksi jääneitä hakemuksia voi olla satoja.",
         "Integraatio taloushallintoon ei välttämättä palaudu automaattisesti."]
CONTACTS = ["Palvelun omistaja: tietojärjestelmävastaava, p. 09 000 4190",
            "Toimittajan päivystys: tiketti INC-{n}",
            "Digitaaliset palvelut, palvelupäällikkö, p. 09 000 1090",
            "Häiriön johtaja: ICT-päivystys, p. 09 000 1099"]
NOTES = ["Arviointipalaveri pidetään katkon jälkeisellä viikolla.",
         "Testattu testiympäristössä; kesto arvioitua lyhyempi.",
         "Muutos hyväksytty muutoksenhallinnassa (CAB {n}).",
         "Asiakasyhteydenotot kirjataan tikettiin {n}."]
AUTHORITY_IMPACT = ["Ei vaikutusta asiakaspalveluun.",
                    "Käsittelijät eivät voi käsitellä hakemuksia katkon aikana.",
                    "Asiakaspalveluun odotetaan tavallista enemmän puheluita.",
                    "Laskutusajo siirtyy seuraavaan arkipäivään."]


# --------------------------------------------------------------------------- #
# Records
# --------------------------------------------------------------------------- #


class Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Markdown texts as literal blocks, like people write them.
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


Dumper.add_representer(str, _str)
Dumper.add_representer(Quoted, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", str(data), style='"'))

LANGS = ("fi", "sv", "en")


def localized(texts: tuple[str, str, str], **values: dict[str, str]) -> dict[str, str]:
    """A {fi, sv, en} mapping, each text formatted with its language's value of each placeholder."""
    return {lang: text.format(**{k: v[lang] for k, v in values.items()}) for lang, text in zip(LANGS, texts)}


def per_lang(func) -> dict[str, str]:
    return {lang: func(lang) for lang in LANGS}


def markdown_list(items: list[str]) -> str:
    return "".join(f"- {item}\n" for item in items)


def join_texts(*parts: dict[str, str], sep: str = " ") -> dict[str, str]:
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGS}


class Generator:
    def __init__(self, services: list[dict], now: datetime, seed: int) -> None:
        self.services = services
        self.now = now
        self.rng = random.Random(seed)

    def start_time(self, kind: str) -> datetime:
        rng = self.rng
        span = (LAST_DAY - FIRST_DAY).days + 1
        date = FIRST_DAY + timedelta(days=rng.randrange(span))
        if kind == "planned":
            hour = rng.choice([0, 1, 2, 5, 6, 17, 18, 19, 20, 21, 22, 22, 23])
            minute = rng.choice([0, 0, 0, 30])
        else:
            hour = rng.randint(6, 21)
            minute = rng.randrange(0, 60, 5)
        return at_local(date, hour, minute)

    def record(self, index: int) -> tuple[str, dict]:
        rng = self.rng
        kind = "planned" if rng.random() < 0.6 else "unplanned"
        chosen = [rng.choice(self.services)]
        if rng.random() < 0.1:
            other = rng.choice([s for s in self.services if s is not chosen[0]])
            chosen.append(other)
        start = self.start_time(kind)
        if kind == "unplanned" and start + timedelta(minutes=40) >= self.now:
            kind = "planned"  # a disruption is reported after it starts, never ahead
        step = 30 if kind == "planned" else 5
        longest = 8 * 60
        if kind == "planned":
            longest = min([longest, *(parse_duration(s["max_outage"]).total_seconds() // 60
                                      for s in chosen if s.get("max_outage"))])
        end = start + timedelta(minutes=rng.randrange(60, int(longest) + 1, step))
        if kind == "planned":
            public_from = start - timedelta(days=35)
            name, scenario = rng.choice(list(PLANNED.items()))
            impact = "read_only" if name == "database" and rng.random() < 0.5 else (
                "partial" if name == "identification" else "unavailable")
        else:
            public_from = start + timedelta(minutes=rng.randrange(10, 41, 5))
            name, scenario = rng.choice(list(UNPLANNED.items()))
            impact = scenario["impact"]
        # Only a published outage is cancelled: the cancellation is announced (K208).
        cancelled = kind == "planned" and rng.random() < 0.06 and public_from < self.now

        svc = {lang: " ja ".join(s["name"][lang] for s in chosen) if lang == "fi" else
               (" och " if lang == "sv" else " and ").join(s["name"][lang] for s in chosen) for lang in LANGS}
        when = per_lang(lambda lang: period(start, end, lang))
        start_day = per_lang(lambda lang: day(start, lang, year=False))

        title = localized(scenario["title"], svc=svc, day=start_day)
        if cancelled:
            title = {"fi": title["fi"] + " (peruttu)", "sv": title["sv"] + " (inställt)",
                     "en": title["en"] + " (cancelled)"}
        summary = join_texts(localized(IMPACT_SENTENCE[impact], svc=svc, when=when), localized(scenario["cause"]),
                             *([localized(rng.choice(ADVICE))] if rng.random() < 0.5 else []))
        # Every Markdown text names this outage's time, so that no two records
        # share a text: Katko caches rendered Markdown, and real records are unique.
        lead = {"fi": f"**Mikä ei toimi {when['fi']}:** ", "sv": f"**Vad fungerar inte {when['sv']}:** ",
                "en": f"**What does not work {when['en']}:** "}
        why = {"fi": "**Miksi:** ", "sv": "**Varför:** ", "en": "**Why:** "}
        paragraphs = [join_texts(lead, localized(WHAT_FAILS[impact]), sep=""),
                      join_texts(why, localized(scenario["cause_long"]), sep="")]
        if rng.random() < 0.4:
            paragraphs.append(localized(rng.choice(SAVED)))
        if rng.random() < 0.5:
            paragraphs.append(localized(rng.choice(APOLOGY)))
        details = {lang: "\n\n".join(p[lang] for p in paragraphs) + "\n" for lang in LANGS}

        works = rng.sample(STILL_WORKS, rng.randint(1, 2))
        works_intro = localized(("Katkon aikana {day} toimivat:", "Under avbrottet {day} fungerar:",
                                 "During the outage on {day}, these work:"), day=start_day)
        still_works = {lang: f"{works_intro[lang]}\n\n" + markdown_list([w[i] for w in works])
                       for i, lang in enumerate(LANGS)}

        record: dict = {"kind": kind, "services": [s["id"] for s in chosen]}
        status, updates = self.statuses(kind, start, end, public_from, cancelled, scenario, when, start_day)
        if status:
            record["status"] = status
        record.update({
            "impact": impact,
            "start": record_time(start),
            "end": record_time(end),
            "public_from": record_time(public_from),
            "title": title,
            "summary": summary,
            "details": details,
            "still_works": still_works,
        })
        if rng.random() < 0.8:
            items = rng.sample(ALT_ITEMS, rng.choice([1, 1, 1, 2, 2, 3]))
            intro = localized(rng.choice(ALT_INTRO), day=start_day)
            record["alternatives"] = {lang: f"{intro[lang]}\n\n" + markdown_list([t[i] for t in items])
                                      for i, lang in enumerate(LANGS)}
        pool = [g for s in chosen for g in STAKEHOLDERS.get(s["id"], [])] or STAKEHOLDERS_ANY
        record["stakeholders"] = [localized(g) for g in rng.sample(pool, min(len(pool), rng.randint(1, 2)))]
        if updates:
            record["updates"] = updates
        n = rng.randint(10000, 99999)
        record["internal"] = {
            "risks": rng.sample(RISKS, rng.randint(1, 2)),
            "authority_impact": rng.choice(AUTHORITY_IMPACT),
            "contacts": [c.format(n=n) for c in rng.sample(CONTACTS, 2)],
            "notes": rng.choice(NOTES).format(n=n),
            "affected_users": rng.randrange(0, 2000, 10),
        }
        if end <= self.now and not cancelled:
            record["internal"]["evaluation"] = {
                "actual_start": record_time(start), "actual_end": record_time(end),
                "went_well": rng.choice(NOTES).format(n=n), "problems": "Ei ongelmia.",
                "improvements": "Ei muutettavaa.", "reached_people": "Kyllä.",
            }
        record_id = f"{local(start):%Y-%m-%d}-{chosen[0]['id']}-{scenario['slug']}-{index:05d}"
        return record_id, record

    def statuses(self, kind: str, start: datetime, end: datetime, public_from: datetime, cancelled: bool,
                 scenario: dict, when: dict, start_day: dict) -> tuple[str | None, list[dict]]:
        """The record's status and its 0–3 updates, as they would stand at ``now``."""
        rng = self.rng
        count = rng.choice([0, 1, 1, 2, 2, 3])
        if cancelled or kind == "unplanned":
            # A cancellation is announced as an update (K208); a disruption starts with one (K217).
            count = max(count, 1)
        if kind == "unplanned" and end <= self.now:
            count = max(count, 2)  # its first update, and the one that says it is resolved (K222)
        # Updates tell what has happened: between publication and shortly after
        # the end, and never after now (katko check warns about those, K207);
        # planned work is cancelled before it starts (K223).
        last = min(end + timedelta(minutes=30), self.now)
        if cancelled:
            last = min(last, start - timedelta(minutes=5))
        slots = max(int((last - public_from).total_seconds() // 300), 0)
        first = 0 if kind == "unplanned" else 1  # a disruption's first update comes with its notice
        count = min(count, slots + 1 - first)
        times = sorted(public_from + timedelta(minutes=5 * m) for m in rng.sample(range(first, slots + 1), count))
        end_text = per_lang(lambda lang: moment(end, lang))
        cause = localized(scenario["cause"])
        updates: list[dict] = []
        if kind == "planned":
            for i, t in enumerate(times):
                if cancelled and i == len(times) - 1:
                    s = "cancelled"
                else:
                    s = None if t < start else ("ongoing" if t < end else "ended")
                at = per_lang(lambda lang: moment(t, lang))
                text = localized(rng.choice(UPDATES_PLANNED[s]), when=when, end=end_text, day=start_day, at=at)
                updates.append({"time": record_time(t), **({"status": s} if s else {}), "text": text})
            if cancelled:
                return "cancelled", updates
            if end <= self.now:
                # Said outright: a stated 'ongoing' left behind by the clock is K215.
                return "ended", updates
            if start <= self.now:
                return ("ongoing" if rng.random() < 0.5 else None), updates
            return ("scheduled" if rng.random() < 0.3 else None), updates
        progress = ["investigating", "identified", "monitoring"]
        past = end <= self.now
        for i, t in enumerate(times):
            s = progress[min(i, 2)]
            if past and i == len(times) - 1 and i > 0:
                s = "resolved"
            at = per_lang(lambda lang: moment(t, lang))
            start_text = per_lang(lambda lang: moment(start, lang))
            text = localized(UPDATES_UNPLANNED[s], cause=cause, at=at, start=start_text)
            # The update that resolves a disruption says when the service was back.
            back = {"end": record_time(end)} if s == "resolved" else {}
            updates.append({"time": record_time(t), "status": s, **back, "text": text})
        return ("resolved" if past and updates[-1]["status"] == "resolved" else None), updates


# --------------------------------------------------------------------------- #
# The project around the records
# --------------------------------------------------------------------------- #


def complete_catalogs(locales: Path) -> list[str]:
    """Give the copied catalogs the source text where a translation is missing; say which."""
    from babel.messages.pofile import read_po, write_po

    notes = []
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        lang = po.parts[-3]
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=po.stem)
        filled = 0
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, (list, tuple)):
                if message.fuzzy or not all(message.string):
                    message.string = tuple(message.id[min(i, 1)] for i in range(len(message.string)))
                    filled += 1
            elif message.fuzzy or not message.string:
                message.string = message.id
                filled += 1
            message.flags.discard("fuzzy")
        if filled:
            with po.open("wb") as fh:
                write_po(fh, catalog)
            notes.append(f"{lang}: {filled} untranslated texts filled with the source text")
    return notes


def copy_project(out: Path, source: Path = REPO) -> list[str]:
    """Copy mkdocs.yml, overrides/, locales/, docs/ and outages/services.yml from ``source`` (the repository)."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", out / "mkdocs.yml")
    for folder in ("overrides", "locales", "docs"):
        shutil.rmtree(out / folder, ignore_errors=True)
        shutil.copytree(source / folder, out / folder)
    shutil.rmtree(out / "outages", ignore_errors=True)
    (out / "outages").mkdir()
    shutil.copy2(source / "outages" / "services.yml", out / "outages" / "services.yml")
    return complete_catalogs(out / "locales")


def generate(n: int, out: Path, *, seed: int = DEFAULT_SEED, now: str = DEFAULT_NOW, source: Path = REPO) -> dict:
    out = out.resolve()
    notes = copy_project(out, source)
    catalogue = yaml.load((out / "outages" / "services.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    generator = Generator(catalogue["services"], parse_time(now), seed)
    for i in range(n):
        record_id, record = generator.record(i)
        text = yaml.dump(record, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
        (out / "outages" / f"{record_id}.yml").write_text(text, encoding="utf-8")
    return {"records": n, "out": str(out), "notes": notes}


TEXT_FIELDS = ("title", "summary", "details", "still_works", "alternatives")


def record_stats(folder: Path) -> dict:
    """Mean size of the outage records in ``folder``: bytes per file, Finnish characters per text field."""
    files = [p for p in sorted(folder.glob("*.yml")) if p.name != "services.yml"]
    lengths: dict[str, list[int]] = {f: [] for f in (*TEXT_FIELDS, "updates")}
    size = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        size += len(text.encode("utf-8"))
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        for name in TEXT_FIELDS:
            value = (data.get(name) or {}).get("fi")
            if value:
                lengths[name].append(len(value))
        lengths["updates"].append(len(data.get("updates") or []))
    mean = {name: round(sum(v) / len(v), 1) if v else 0 for name, v in lengths.items()}
    return {"records": len(files), "bytes_per_record": round(size / max(len(files), 1)), "mean_fi_chars": mean}


def katko_check(out: Path, now: str = DEFAULT_NOW, env: dict[str, str] | None = None) -> str:
    katko = Path(sys.executable).with_name("katko")
    command = [str(katko)] if katko.exists() else [sys.executable, "-m", "katko"]
    result = subprocess.run([*command, "check", "--lang", "en", str(out / "outages")], capture_output=True, text=True,
                            env={**(env or os.environ), "KATKO_NOW": now})
    output = (result.stdout + result.stderr).strip()
    # A clean set prints only the closing line: "N outage records checked: 0 errors, 0 warnings".
    if result.returncode != 0 or not output.endswith(": 0 errors, 0 warnings") or "\n" in output:
        raise SystemExit(f"katko check failed for the generated records:\n{output[-4000:]}")
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of outage records")
    parser.add_argument("out", type=Path, help="project folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--now", default=DEFAULT_NOW, help="the moment statuses are written for (KATKO_NOW)")
    parser.add_argument("--no-check", action="store_true", help="skip the final 'katko check'")
    args = parser.parse_args()
    info = generate(args.n, args.out, seed=args.seed, now=args.now)
    for note in info["notes"]:
        print(f"note: locales copy: {note}", file=sys.stderr)
    print(f"wrote {args.n} outage records to {args.out / 'outages'}")
    ours, examples = record_stats(args.out / "outages"), record_stats(REPO / "outages")
    print(f"mean size: {ours['bytes_per_record']} bytes/record, fi characters {ours['mean_fi_chars']}")
    print(f"  the repository's {examples['records']} example records: {examples['bytes_per_record']} bytes/record, "
          f"fi characters {examples['mean_fi_chars']}")
    if not args.no_check:
        print("katko check: " + katko_check(args.out.resolve(), args.now))


if __name__ == "__main__":
    main()
