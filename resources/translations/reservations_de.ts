<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>Action</name>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="65" />
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="66" />
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="67" />
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="68" />
        <source>Cancel booking</source>
        <translation>Termin absagen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="69" />
        <source>Reschedule</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="70" />
        <source>Edit note</source>
        <translation>Notiz bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="71" />
        <source>Start</source>
        <translation>Beginnen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="72" />
        <source>Mark no-show</source>
        <translation>Nicht erschienen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="73" />
        <source>Complete</source>
        <translation>Abschließen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="74" />
        <source>Expire</source>
        <translation>Verfallen lassen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="82" />
        <source>new booking</source>
        <translation>neuer Termin</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="83" />
        <source>acceptance</source>
        <translation>Annahme</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="84" />
        <source>decline</source>
        <translation>Ablehnung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="85" />
        <source>cancellation</source>
        <translation>Absage</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="86" />
        <source>new time</source>
        <translation>neue Uhrzeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="87" />
        <source>note change</source>
        <translation>Notizänderung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="88" />
        <source>start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="89" />
        <source>no-show mark</source>
        <translation>Nichterscheinen-Markierung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="90" />
        <source>completion</source>
        <translation>Abschluss</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="91" />
        <source>expiry</source>
        <translation>Verfall</translation>
    </message>
</context>
<context>
    <name>BookingDetails</name>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="43" />
        <location filename="../../desktop_app/ui/booking_details.py" line="105" />
        <source>Booking details</source>
        <translation>Termindetails</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="55" />
        <location filename="../../desktop_app/ui/booking_details.py" line="176" />
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="57" />
        <source>Select a booking to see its details.</source>
        <translation>Wählen Sie einen Termin, um Details zu sehen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="122" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="123" />
        <location filename="../../desktop_app/ui/booking_details.py" line="136" />
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="124" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="125" />
        <source>Last change</source>
        <translation>Letzte Änderung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="136" />
        <source>Master</source>
        <translation>Meister</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="195" />
        <source>Saving your change… %s</source>
        <translation>Ihre Änderung wird gespeichert… %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="199" />
        <source>Reason: %s</source>
        <translation>Grund: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="209" />
        <source>the schedule</source>
        <translation>der Zeitplan</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="211" />
        <source>you</source>
        <translation>Ihnen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="214" />
        <source>%s by %s</source>
        <translation>%s von %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="222" />
        <source>%s is viewing this booking</source>
        <translation>%s sieht sich diesen Termin an</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_details.py" line="224" />
        <source>%s are viewing this booking</source>
        <translation>%s sehen sich diesen Termin an</translation>
    </message>
</context>
<context>
    <name>BookingForm</name>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="110" />
        <source>Problem with the booking</source>
        <translation>Problem mit dem Termin</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="114" />
        <source>Service</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="118" />
        <source>Service from your catalog</source>
        <translation>Leistung aus Ihrem Katalog</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="121" />
        <source>Matching customers</source>
        <translation>Passende Kunden</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="133" />
        <source>Free times on this day</source>
        <translation>Freie Zeiten an diesem Tag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="146" />
        <source>Problem with the time</source>
        <translation>Problem mit der Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="151" />
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="153" />
        <source>Start time</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="154" />
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="156" />
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/booking_form.py" line="158" />
        <location filename="../../desktop_app/ui/booking_form.py" line="300" />
        <source>%n min</source>
        <translation>
            <numerusform>1 Min.</numerusform>
            <numerusform>%n Min.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="160" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="161" />
        <source>Anything the other side should know (optional)</source>
        <translation>Was die andere Seite wissen sollte (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="261" />
        <source>&amp;Customer:</source>
        <translation>&amp;Kunde:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="261" />
        <source>&amp;Master:</source>
        <translation>&amp;Meister:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="266" />
        <source>Move or edit “%s”</source>
        <translation>„%s“ verschieben oder bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="267" />
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="278" />
        <source>%s (a booking in progress keeps its time)</source>
        <translation>%s (eine laufende Buchung behält ihre Zeit)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="281" />
        <source>New booking</source>
        <translation>Neuer Termin</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="282" />
        <source>Request</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="285" />
        <source>Name, e.g. Carl Lind</source>
        <translation>Name, z. B. Carl Lind</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="287" />
        <source>Name, e.g. Anna Berg</source>
        <translation>Name, z. B. Anna Berg</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="330" />
        <source>&amp;Free times:</source>
        <translation>&amp;Freie Zeiten:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="366" />
        <source>Other service (type its name)</source>
        <translation>Andere Leistung (Namen eingeben)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="439" />
        <source>No free time on this day.</source>
        <translation>An diesem Tag ist nichts mehr frei.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="441" />
        <source>1 free time on this day: pick it to take it.</source>
        <translation>1 freie Zeit an diesem Tag: zum Übernehmen anklicken.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/booking_form.py" line="443" />
        <source>%n free times on this day: pick one to take it.</source>
        <translation>
            <numerusform>%n freie Zeit an diesem Tag: zum Übernehmen anklicken.</numerusform>
            <numerusform>%n freie Zeiten an diesem Tag: eine zum Übernehmen anklicken.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="452" />
        <source>Free times are worked out from your working hours.</source>
        <translation>Freie Zeiten werden aus Ihren Arbeitszeiten berechnet.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="455" />
        <source>Your working hours are not loaded yet.</source>
        <translation>Ihre Arbeitszeiten sind noch nicht geladen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="457" />
        <source>No working hours set: set them under Working hours &amp; services.</source>
        <translation>Keine Arbeitszeiten festgelegt: unter „Arbeitszeiten &amp; Leistungen“ festlegen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="585" />
        <source>This time is outside your working hours (or in time off). You can still book it.</source>
        <translation>Diese Zeit liegt außerhalb Ihrer Arbeitszeit (oder in einer Abwesenheit). Sie können sie trotzdem buchen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="609" />
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="626" />
        <source>No customer matches “%s”.</source>
        <translation>Kein Kunde passt zu „%s“.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="638" />
        <source>The customer search needs the server; type the customer's name.</source>
        <translation>Die Kundensuche braucht den Server; geben Sie den Namen des Kunden ein.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="724" />
        <source>Start time: type it as 14:30, 1430 or 9.</source>
        <translation>Beginn: als 14:30, 1430 oder 9 eingeben.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="797" />
        <source>%s: enter who the booking is with.</source>
        <translation>%s: Geben Sie ein, mit wem die Buchung ist.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="799" />
        <source>%s: no one called “%s” is known here. Type the name as your bookings show it.</source>
        <translation>%s: Niemand namens „%s“ ist hier bekannt. Geben Sie den Namen so ein, wie Ihre Buchungen ihn zeigen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="321" />
        <source>&amp;Service:</source>
        <translation>&amp;Leistung:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="323" />
        <source>&amp;Date:</source>
        <translation>&amp;Datum:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="324" />
        <source>S&amp;tarts at:</source>
        <translation>&amp;Beginnt um:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="325" />
        <source>D&amp;uration:</source>
        <translation>D&amp;auer:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="334" />
        <source>When:</source>
        <translation>Wann:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="335" />
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/booking_form.py" line="830" />
        <source>That time overlaps “%s” (%s). Choose another time.</source>
        <translation>Diese Zeit überschneidet sich mit „%s“ (%s). Wählen Sie eine andere Zeit.</translation>
    </message>
</context>
<context>
    <name>BookingsTable</name>
    <message>
        <location filename="../../desktop_app/ui/bookings_table.py" line="44" />
        <source>Bookings</source>
        <translation>Termine</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_table.py" line="81" />
        <source>No bookings match the search or the filter.</source>
        <translation>Keine Termine passen zur Suche oder zum Filter.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_table.py" line="82" />
        <source>No bookings yet. New requests appear here as they arrive.</source>
        <translation>Noch keine Termine. Neue Anfragen erscheinen hier, sobald sie eintreffen.</translation>
    </message>
</context>
<context>
    <name>BookingsTableModel</name>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="371" />
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="372" />
        <source>Master</source>
        <translation>Meister</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="372" />
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="373" />
        <source>Service</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="374" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="375" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="376" />
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="412" />
        <source>New: %s</source>
        <translation>Neu: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="456" />
        <source>Your change was undone: %s</source>
        <translation>Ihre Änderung wurde rückgängig gemacht: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="459" />
        <source>Saving… (%s)</source>
        <translation>Wird gespeichert… (%s)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="460" />
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/bookings_model.py" line="462" />
        <source>New request — not looked at yet</source>
        <translation>Neue Anfrage — noch nicht angesehen</translation>
    </message>
</context>
<context>
    <name>CatalogRollback</name>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="33" />
        <source>New service</source>
        <translation>Neue Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="36" />
        <source>Service restored</source>
        <translation>Leistung wieder angeboten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="37" />
        <source>Service archived</source>
        <translation>Leistung archiviert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="39" />
        <source>Service change</source>
        <translation>Leistung geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="41" />
        <source>Working hours</source>
        <translation>Arbeitszeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="43" />
        <source>New time off</source>
        <translation>Neue Abwesenheit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="45" />
        <source>Time off removed</source>
        <translation>Abwesenheit entfernt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="67" />
        <source>Your new service “%s” was undone.</source>
        <translation>Ihre neue Leistung „%s“ wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="73" />
        <source>Your change to a service was undone.</source>
        <translation>Ihre Änderung an einer Leistung wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="77" />
        <source>Archiving the service “%s” was undone.</source>
        <translation>Das Archivieren der Leistung „%s“ wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="80" />
        <source>Your change to the service “%s” was undone.</source>
        <translation>Ihre Änderung an der Leistung „%s“ wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="84" />
        <source>Your change to working hours was undone.</source>
        <translation>Ihre Änderung der Arbeitszeiten wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="88" />
        <source>Your time off %s was undone.</source>
        <translation>Ihre Abwesenheit %s wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="93" />
        <source>Removing the time off %s was undone.</source>
        <translation>Das Entfernen der Abwesenheit %s wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="96" />
        <source>Removing time off was undone.</source>
        <translation>Das Entfernen einer Abwesenheit wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="101" />
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="102" />
        <source>duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="103" />
        <source>price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="104" />
        <source>currency</source>
        <translation>Währung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="105" />
        <source>break after it</source>
        <translation>Pause danach</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="106" />
        <source>time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="107" />
        <source>working hours</source>
        <translation>Arbeitszeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="108" />
        <source>minimum notice</source>
        <translation>Mindestvorlauf</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="109" />
        <source>how far ahead</source>
        <translation>Buchungszeitraum</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="110" />
        <source>slot step</source>
        <translation>Zeitraster</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="111" />
        <source>start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="112" />
        <source>end</source>
        <translation>Ende</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="113" />
        <source>note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="122" />
        <source>The server did not accept this value: %s.</source>
        <translation>Der Server hat diesen Wert nicht angenommen: %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="126" />
        <source>It was changed elsewhere first (on another device?).</source>
        <translation>Es wurde zuvor anderswo geändert (auf einem anderen Gerät?).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="129" />
        <source>It no longer exists on the server.</source>
        <translation>Es existiert auf dem Server nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="132" />
        <source>Only a master can change services, working hours and time off.</source>
        <translation>Nur Meister können Leistungen, Arbeitszeiten und Abwesenheiten ändern.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="135" />
        <source>This server does not keep services, working hours or time off.</source>
        <translation>Dieser Server verwaltet keine Leistungen, Arbeitszeiten oder Abwesenheiten.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="143" />
        <source>The server refused the change.</source>
        <translation>Der Server hat die Änderung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="151" />
        <source>Now on the server: %s</source>
        <translation>Jetzt auf dem Server: %s</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/catalog_words.py" line="165" />
        <source>%n min</source>
        <translation>
            <numerusform>1 Min.</numerusform>
            <numerusform>%n Min.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="170" />
        <source>archived</source>
        <translation>archiviert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/catalog_words.py" line="184" />
        <source>no working hours</source>
        <translation>keine Arbeitszeiten</translation>
    </message>
</context>
<context>
    <name>DayRow</name>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="201" />
        <source>%s is a working day</source>
        <translation>%s ist ein Arbeitstag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="204" />
        <source>Day off</source>
        <translation>Frei</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="211" />
        <source>Add break</source>
        <translation>Pause einfügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="212" />
        <source>Add a break on %s</source>
        <translation>Pause am %s einfügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="215" />
        <source>Add hours</source>
        <translation>Zeiten hinzufügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="216" />
        <source>Add working hours on %s</source>
        <translation>Arbeitszeit am %s hinzufügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="266" />
        <source>A break. Click to remove it (the hours around it join).</source>
        <translation>Eine Pause. Klicken entfernt sie (die Zeiten davor und danach werden eins).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="276" />
        <source>break ✕</source>
        <translation>Pause ✕</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="277" />
        <source>Remove the break %s–%s on %s</source>
        <translation>Pause %s–%s am %s entfernen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="343" />
        <source>%s: the hours are too short for a break (90 minutes at least).</source>
        <translation>%s: Die Zeiten sind zu kurz für eine Pause (mindestens 90 Minuten).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="380" />
        <source>%s: there is no time left after %s.</source>
        <translation>%s: Nach %s ist keine Zeit mehr frei.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="405" />
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="405" />
        <source>until</source>
        <translation>bis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="409" />
        <source>%s, hours %d, %s: “%s” is not a time. Type it as 09:00, 0900 or 9.</source>
        <translation>%s, Zeit %d, %s: „%s“ ist keine Uhrzeit. Eingabe z. B. 09:00, 0900 oder 9.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="429" />
        <source>%s: %s–%s ends before it starts. The end comes after the start.</source>
        <translation>%s: %s–%s endet, bevor es beginnt. Das Ende liegt nach dem Beginn.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="437" />
        <source>%s: %s–%s overlaps %s–%s. Hours of one day must not overlap.</source>
        <translation>%s: %s–%s überschneidet sich mit %s–%s. Die Zeiten eines Tages dürfen sich nicht überschneiden.</translation>
    </message>
</context>
<context>
    <name>DaySheet</name>
    <message>
        <location filename="../../desktop_app/ui/calendar_export.py" line="96" />
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/calendar_export.py" line="98" />
        <source>Service</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/calendar_export.py" line="99" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/calendar_export.py" line="100" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/calendar_export.py" line="103" />
        <source>No bookings.</source>
        <translation>Keine Buchungen.</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <location filename="../../desktop_app/ui/day_view.py" line="104" />
        <source>Day view</source>
        <translation>Tagesansicht</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/day_view.py" line="152" />
        <source>1 booking</source>
        <translation>1 Termin</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/day_view.py" line="152" />
        <source>%n bookings</source>
        <translation>
            <numerusform>1 Termine</numerusform>
            <numerusform>%n Termine</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/day_view.py" line="451" />
        <source>Today · %s</source>
        <translation>Heute · %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/day_view.py" line="520" />
        <source>Free · %s</source>
        <translation>Frei · %s</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="61" />
        <source>created as %s</source>
        <translation>angelegt als %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="68" />
        <source>moved to %s</source>
        <translation>verschoben auf %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="70" />
        <source>note changed</source>
        <translation>Notiz geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="72" />
        <source>reason: %s</source>
        <translation>Grund: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="73" />
        <source>updated</source>
        <translation>geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/history.py" line="224" />
        <source>schedule</source>
        <translation>Zeitplan</translation>
    </message>
</context>
<context>
    <name>HoursServicesWindow</name>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="59" />
        <source>Working hours &amp; services</source>
        <translation>Arbeitszeiten &amp; Leistungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="73" />
        <source>Hours, time off or services</source>
        <translation>Arbeitszeiten, freie Tage oder Leistungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="79" />
        <source>Working &amp;hours</source>
        <translation>Arbeits&amp;zeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="80" />
        <source>&amp;Time off</source>
        <translation>&amp;Freie Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="81" />
        <source>Ser&amp;vices</source>
        <translation>&amp;Leistungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="84" />
        <source>Saving state</source>
        <translation>Speicherstand</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="91" />
        <source>&amp;Restore my edits</source>
        <translation>Meine Eingaben &amp;wiederherstellen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="95" />
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="153" />
        <location filename="../../desktop_app/ui/hours_services.py" line="207" />
        <source>your working hours</source>
        <translation>Ihre Arbeitszeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="155" />
        <source>the service “%s”</source>
        <translation>die Leistung „%s“</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="158" />
        <location filename="../../desktop_app/ui/hours_services.py" line="215" />
        <source>the time off %s</source>
        <translation>die freie Zeit %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="172" />
        <source>Loading from the server…</source>
        <translation>Wird vom Server geladen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="174" />
        <source>Working hours edited, not saved yet.</source>
        <translation>Arbeitszeiten geändert, noch nicht gespeichert.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="176" />
        <source>Saving 1 change…</source>
        <translation>1 Änderung wird gespeichert…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/hours_services.py" line="178" />
        <source>Saving %n changes…</source>
        <translation>
            <numerusform>%n Änderung wird gespeichert…</numerusform>
            <numerusform>%n Änderungen werden gespeichert…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="180" />
        <source>All changes saved.</source>
        <translation>Alle Änderungen gespeichert.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="198" />
        <source>Not saved: %s. %s</source>
        <translation>Nicht gespeichert: %s. %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="209" />
        <source>the new service “%s”</source>
        <translation>die neue Leistung „%s“</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="212" />
        <source>your change to the service “%s”</source>
        <translation>Ihre Änderung an der Leistung „%s“</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="217" />
        <source>deleting %s</source>
        <translation>das Löschen von %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="217" />
        <source>time off</source>
        <translation>freier Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="245" />
        <source>The server could not accept the %s given.</source>
        <translation>Der Server konnte die Angabe „%s“ nicht annehmen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="249" />
        <source>It was changed elsewhere first (another window or device); that version is shown.</source>
        <translation>Es wurde zuerst anderswo geändert (anderes Fenster oder Gerät); diese Fassung wird gezeigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="253" />
        <source>It no longer exists.</source>
        <translation>Es existiert nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="256" />
        <source>You are not allowed to change it.</source>
        <translation>Sie dürfen es nicht ändern.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="259" />
        <source>The server could not accept the values given.</source>
        <translation>Der Server konnte die Angaben nicht annehmen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="262" />
        <source>The server did not confirm the change in time.</source>
        <translation>Der Server hat die Änderung nicht rechtzeitig bestätigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="267" />
        <source>The server refused the change.</source>
        <translation>Der Server hat die Änderung abgelehnt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="274" />
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="275" />
        <source>duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="276" />
        <source>price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="277" />
        <source>currency</source>
        <translation>Währung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="278" />
        <source>buffer</source>
        <translation>Puffer</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="279" />
        <source>time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="280" />
        <source>working hours</source>
        <translation>Arbeitszeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="281" />
        <source>start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="282" />
        <source>end</source>
        <translation>Ende</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_services.py" line="283" />
        <source>note</source>
        <translation>Notiz</translation>
    </message>
</context>
<context>
    <name>IntervalRow</name>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="139" />
        <source>%s from</source>
        <translation>%s von</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="141" />
        <source>%s until</source>
        <translation>%s bis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="143" />
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="153" />
        <source>Remove these hours</source>
        <translation>Diese Zeiten entfernen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="168" />
        <source>Remove %s %s–%s</source>
        <translation>%s %s–%s entfernen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="406" />
        <source>Copy &amp;booking page link</source>
        <translation>Link zur &amp;Buchungsseite kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1185" />
        <source>Booking page link copied: %s</source>
        <translation>Link zur Buchungsseite kopiert: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="198" />
        <source>&amp;Sync now</source>
        <translation>Jetzt &amp;synchronisieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="200" />
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="202" />
        <source>&amp;Find…</source>
        <translation>&amp;Suchen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="204" />
        <source>&amp;New booking…</source>
        <translation>&amp;Neuer Termin…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="206" />
        <source>&amp;Move or edit…</source>
        <translation>&amp;Verschieben oder bearbeiten…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="219" />
        <source>Sync &amp;diagnostics…</source>
        <translation>Sync-&amp;Diagnose…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="248" />
        <source>Search bookings</source>
        <translation>Termine durchsuchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="249" />
        <source>Search customer, service, note…  (Ctrl+F)</source>
        <translation>Kunde, Leistung, Notiz suchen…  (Strg+F)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="252" />
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="293" />
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="294" />
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="295" />
        <source>Upcoming</source>
        <translation>Kommende</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="296" />
        <location filename="../../desktop_app/ui/main_window.py" line="543" />
        <source>Needs answer</source>
        <translation>Offene Anfragen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="329" />
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="330" />
        <source>List or week</source>
        <translation>Liste oder Woche</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="331" />
        <source>&amp;List</source>
        <translation>&amp;Liste</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="332" />
        <source>&amp;Week</source>
        <translation>&amp;Woche</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="359" />
        <source>Bookings</source>
        <translation>Termine</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="389" />
        <source>Show %s</source>
        <translation>%s anzeigen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="397" />
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="401" />
        <source>&amp;Print day sheet…</source>
        <translation>Tages&amp;blatt drucken…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="404" />
        <source>&amp;Export to calendar (.ics)…</source>
        <translation>In Kalender &amp;exportieren (.ics)…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="410" />
        <source>Sign &amp;out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="413" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="416" />
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="421" />
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="426" />
        <source>Working &amp;hours &amp;&amp; services…</source>
        <translation>Arbeits&amp;zeiten &amp;&amp; Leistungen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="431" />
        <source>&amp;Actions</source>
        <translation>&amp;Aktionen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="435" />
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="439" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="441" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/main_window.py" line="638" />
        <source> It is booked until %s (%n min from now).</source>
        <translation>
            <numerusform> Sie ist bis %s gebucht (in %n Minute).</numerusform>
            <numerusform> Sie ist bis %s gebucht (in %n Minuten).</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="642" />
        <source>Complete “%s” now?</source>
        <translation>„%s“ jetzt abschließen?</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="644" />
        <source> This cannot be undone.</source>
        <translation> Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="655" />
        <source>“%s” with %s is still in progress. Start “%s” anyway?</source>
        <translation>„%s“ mit %s läuft noch. „%s“ trotzdem beginnen?</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="671" />
        <source>Not now</source>
        <translation>Jetzt nicht</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="810" />
        <source>“%s” cannot be moved now.</source>
        <translation>„%s“ lässt sich jetzt nicht verschieben.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="816" />
        <source>Not moved: that time overlaps “%s” (%s).</source>
        <translation>Nicht verschoben: Die Zeit überschneidet sich mit „%s“ (%s).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="836" />
        <source>Moved “%s” to %s</source>
        <translation>„%s“ verschoben auf %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="838" />
        <source>“%s” now lasts %s min</source>
        <translation>„%s“ dauert jetzt %s Min.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="846" />
        <source>Changed the note of “%s”</source>
        <translation>Notiz von „%s“ geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="858" />
        <source>That change can no longer be undone.</source>
        <translation>Diese Änderung lässt sich nicht mehr rückgängig machen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="899" />
        <source>Print day sheet</source>
        <translation>Tagesblatt drucken</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="899" />
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="910" />
        <source>Export to calendar</source>
        <translation>In Kalender exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="912" />
        <source>iCalendar (*.ics)</source>
        <translation>iCalendar (*.ics)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="922" />
        <source>Not saved: %s</source>
        <translation>Nicht gespeichert: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="924" />
        <source>Saved %s</source>
        <translation>Gespeichert: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="961" />
        <source>In the day view: ←/→ day, ↑/↓ booking, Home today. In the search: Escape clears it.</source>
        <translation>In der Tagesansicht: ←/→ Tag, ↑/↓ Buchung, Pos1 heute. In der Suche: Esc leert sie.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="966" />
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1010" />
        <source>a booking no longer shown</source>
        <translation>eine nicht mehr angezeigte Buchung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1129" />
        <source>%1 of %2 bookings</source>
        <translation>%1 von %2 Terminen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1131" />
        <source>1 booking</source>
        <translation>1 Termin</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/main_window.py" line="1133" />
        <source>%n bookings</source>
        <translation>
            <numerusform>1 Termine</numerusform>
            <numerusform>%n Termine</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1149" />
        <source>%s is viewing this booking</source>
        <translation>%s sieht sich diesen Termin an</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1151" />
        <source>%s are viewing this booking</source>
        <translation>%s sehen sich diesen Termin an</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1165" />
        <source>Search master, service, note…  (Ctrl+F)</source>
        <translation>Meister, Leistung, Notiz suchen…  (Strg+F)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1190" />
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1195" />
        <source>Reservations</source>
        <translation>Reservierungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/main_window.py" line="1197" />
        <source>Reservations — %s</source>
        <translation>Reservierungen — %s</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <location filename="../../desktop_app/ui/notice_bar.py" line="22" />
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notice_bar.py" line="27" />
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notice_bar.py" line="32" />
        <source>Dismiss notice</source>
        <translation>Hinweis schließen</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/notice_bar.py" line="50" />
        <source> (+%n more)</source>
        <translation>
            <numerusform> (+%n weitere)</numerusform>
            <numerusform> (+%n weitere)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="55" />
        <source>The schedule</source>
        <translation>Der Zeitplan</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="62" />
        <source>%s asks for “%s” on %s.</source>
        <translation>%s fragt „%s“ am %s an.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="67" />
        <source>New booking request</source>
        <translation>Neue Terminanfrage</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="70" />
        <source>%s moved “%s” to %s.</source>
        <translation>%s hat „%s“ auf %s verschoben.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="75" />
        <source>Booking moved</source>
        <translation>Termin verschoben</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="79" />
        <source>%s cancelled “%s” on %s.</source>
        <translation>%s hat „%s“ am %s abgesagt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="85" />
        <source>Booking cancelled</source>
        <translation>Termin abgesagt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="91" />
        <source>%s: “%s” on %s is now %s.</source>
        <translation>%s: „%s“ am %s ist jetzt %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="98" />
        <source>Booking updated</source>
        <translation>Termin geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="113" />
        <source>Reason: %s</source>
        <translation>Grund: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="119" />
        <source>Your %s was undone</source>
        <translation>Ihre Aktion (%s) wurde rückgängig gemacht</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/notifier.py" line="171" />
        <source>Reservations</source>
        <translation>Reservierungen</translation>
    </message>
</context>
<context>
    <name>OfflineBanner</name>
    <message>
        <location filename="../../desktop_app/ui/offline_banner.py" line="22" />
        <source>Offline notice</source>
        <translation>Offline-Hinweis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/offline_banner.py" line="50" />
        <source>You are offline — changes you make will be sent when the connection returns</source>
        <translation>Sie sind offline — Ihre Änderungen werden gesendet, sobald die Verbindung zurück ist</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/offline_banner.py" line="53" />
        <source>You are offline — 1 change will be sent when the connection returns</source>
        <translation>Sie sind offline — 1 Änderung wird gesendet, sobald die Verbindung zurück ist</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/offline_banner.py" line="55" />
        <source>You are offline — %n changes will be sent when the connection returns</source>
        <translation>
            <numerusform>Sie sind offline — 1 Änderungen werden gesendet, sobald die Verbindung zurück ist</numerusform>
            <numerusform>Sie sind offline — %n Änderungen werden gesendet, sobald die Verbindung zurück ist</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="53" />
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="58" />
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="59" />
        <source>Empty: this computer (local server)</source>
        <translation>Leer: dieser Computer (lokaler Server)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="61" />
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="62" />
        <source>Play a sound for a new request</source>
        <translation>Bei einer neuen Anfrage einen Ton abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="64" />
        <source>Keep running in the tray when the window closes</source>
        <translation>Beim Schließen des Fensters im Infobereich weiterlaufen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="68" />
        <location filename="../../desktop_app/ui/preferences.py" line="76" />
        <source>As the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="69" />
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="70" />
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="73" />
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="78" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="80" />
        <source>Start Reservations when I log in</source>
        <translation>Reservierungen beim Anmelden starten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="117" />
        <source>Server and account changes take effect at the next sign-in, a new language at the next start; the rest at once.</source>
        <translation>Änderungen an Server und Konto gelten ab der nächsten Anmeldung, eine neue Sprache ab dem nächsten Start, alles andere sofort.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="185" />
        <source>The preferences could not be saved to %1:
%2</source>
        <translation>Die Einstellungen konnten nicht in %1 gespeichert werden:
%2</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="191" />
        <source>Preferences not saved</source>
        <translation>Einstellungen nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="199" />
        <source>Starting at login could not be changed: %1
The next start of the app tries again.</source>
        <translation>Der Start bei der Anmeldung konnte nicht geändert werden: %1
Der nächste Start der App versucht es erneut.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="206" />
        <source>Start at login not changed</source>
        <translation>Start bei der Anmeldung nicht geändert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="129" />
        <source>Server and account</source>
        <translation>Server und Konto</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="130" />
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="130" />
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="133" />
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="136" />
        <source>Look and start</source>
        <translation>Aussehen und Start</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="138" />
        <source>&amp;Theme:</source>
        <translation>&amp;Design:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="139" />
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/preferences.py" line="167" />
        <source>Server: “%s” is not an address such as https://bookings.example.com.</source>
        <translation>Server: „%s“ ist keine Adresse wie https://bookings.example.com.</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="41" />
        <location filename="../../desktop_app/ui/reason_dialog.py" line="51" />
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="46" />
        <source>Reason (optional) — the other party will see it:</source>
        <translation>Grund (freiwillig) — die andere Seite sieht ihn:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="65" />
        <source>Go back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="70" />
        <source>(Ctrl+Enter sends)</source>
        <translation>(Strg+Eingabe sendet)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="96" />
        <source>For example: did not come and did not answer the phone.</source>
        <translation>Zum Beispiel: nicht gekommen und telefonisch nicht erreichbar.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="98" />
        <source>For example: I am fully booked that afternoon.</source>
        <translation>Zum Beispiel: Ich bin an dem Nachmittag ausgebucht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/reason_dialog.py" line="99" />
        <source>For example: I am ill that day.</source>
        <translation>Zum Beispiel: Ich bin an dem Tag krank.</translation>
    </message>
</context>
<context>
    <name>RollbackDialog</name>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="54" />
        <source>Undone changes</source>
        <translation>Rückgängig gemachte Änderungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="63" />
        <source>The server did not accept these changes, so they were undone.</source>
        <translation>Der Server hat diese Änderungen nicht angenommen; sie wurden rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="103" />
        <source>A change was undone</source>
        <translation>Eine Änderung wurde rückgängig gemacht</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="105" />
        <source>%n changes were undone</source>
        <translation>
            <numerusform>1 Änderungen wurden rückgängig gemacht</numerusform>
            <numerusform>%n Änderungen wurden rückgängig gemacht</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="146" />
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="148" />
        <source>Try the change again</source>
        <translation>Die Änderung erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="153" />
        <source>Sent again</source>
        <translation>Erneut gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="167" />
        <source>The server has no such booking now.</source>
        <translation>Der Server kennt diesen Termin nicht mehr.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="169" />
        <source>Now on the server:</source>
        <translation>Jetzt auf dem Server:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="178" />
        <source>Your %s was undone.</source>
        <translation>Ihre Aktion (%s) wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="179" />
        <source>Your %s of “%s” with %s was undone.</source>
        <translation>Ihre Aktion (%s) für „%s“ mit %s wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/rollback_dialog.py" line="199" />
        <source>%s changed this booking first, at %s.</source>
        <translation>%s hat diese Buchung zuerst geändert, um %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="148" />
        <source>Someone else changed this booking first.</source>
        <translation>Jemand anderes hat diesen Termin zuerst geändert.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="151" />
        <source>This time slot was just taken by another booking.</source>
        <translation>Diese Zeit wurde gerade von einem anderen Termin belegt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="154" />
        <source>This time is not one of the master's free times any more.</source>
        <translation>Diese Zeit gehört nicht mehr zu den freien Zeiten des Meisters.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="157" />
        <source>This change is not possible anymore in the booking's current status.</source>
        <translation>Diese Änderung ist im aktuellen Status des Termins nicht mehr möglich.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="161" />
        <source>You are not allowed to make this change anymore.</source>
        <translation>Sie dürfen diese Änderung nicht mehr vornehmen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="164" />
        <source>The booking no longer exists, or you can no longer see it.</source>
        <translation>Den Termin gibt es nicht mehr, oder Sie können ihn nicht mehr sehen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="167" />
        <source>The server could not accept the values given.</source>
        <translation>Der Server konnte die Angaben nicht annehmen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="170" />
        <source>The server did not confirm the change in time.</source>
        <translation>Der Server hat die Änderung nicht rechtzeitig bestätigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="175" />
        <source>The server refused the change.</source>
        <translation>Der Server hat die Änderung abgelehnt.</translation>
    </message>
</context>
<context>
    <name>ServicesPanel</name>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/services_panel.py" line="51" />
        <source>%n min</source>
        <translation>
            <numerusform>%n Min.</numerusform>
            <numerusform>%n Min.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="69" />
        <source>Services</source>
        <translation>Leistungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="72" />
        <source>Service</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="73" />
        <location filename="../../desktop_app/ui/services_panel.py" line="106" />
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="74" />
        <location filename="../../desktop_app/ui/services_panel.py" line="109" />
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="75" />
        <location filename="../../desktop_app/ui/services_panel.py" line="120" />
        <source>Buffer after</source>
        <translation>Puffer danach</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="76" />
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="89" />
        <source>Show a&amp;rchived</source>
        <translation>&amp;Archivierte zeigen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="92" />
        <source>&amp;New service</source>
        <translation>&amp;Neue Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="96" />
        <location filename="../../desktop_app/ui/services_panel.py" line="391" />
        <source>Arc&amp;hive</source>
        <translation>Arc&amp;hivieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="101" />
        <location filename="../../desktop_app/ui/services_panel.py" line="337" />
        <source>New service</source>
        <translation>Neue Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="103" />
        <source>Service name</source>
        <translation>Name der Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="104" />
        <source>e.g. Haircut</source>
        <translation>z. B. Haarschnitt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="110" />
        <source>e.g. 35.00</source>
        <translation>z. B. 35,00</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="111" />
        <source>Leave it empty for no price.</source>
        <translation>Leer lassen für keinen Preis.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="115" />
        <location filename="../../desktop_app/ui/services_panel.py" line="117" />
        <source>Currency</source>
        <translation>Währung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="121" />
        <location filename="../../desktop_app/ui/services_panel.py" line="338" />
        <source>&amp;Add service</source>
        <translation>Leistung &amp;hinzufügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="128" />
        <source>Problem with the service</source>
        <translation>Problem mit der Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="142" />
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="155" />
        <source>Na&amp;me:</source>
        <translation>Na&amp;me:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="156" />
        <source>D&amp;uration:</source>
        <translation>D&amp;auer:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="162" />
        <source>&amp;Price:</source>
        <translation>&amp;Preis:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="165" />
        <source>&amp;Buffer after:</source>
        <translation>P&amp;uffer danach:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="219" />
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="221" />
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="223" />
        <source>Archived</source>
        <translation>Archiviert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="325" />
        <source>Edit “%s”</source>
        <translation>„%s“ bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="326" />
        <source>&amp;Save service</source>
        <translation>Leistung &amp;speichern</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="389" />
        <source>Rest&amp;ore</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="394" />
        <source>Restore “%s”</source>
        <translation>„%s“ wiederherstellen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="394" />
        <source>Archive “%s”</source>
        <translation>„%s“ archivieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="397" />
        <source>Archive the selected service</source>
        <translation>Die gewählte Leistung archivieren</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="401" />
        <source>Saving… it can be changed once the server confirms it.</source>
        <translation>Wird gespeichert… Änderbar, sobald der Server es bestätigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="410" />
        <source>Name: enter the name customers will see.</source>
        <translation>Name: Geben Sie den Namen ein, den Kunden sehen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="417" />
        <source>Currency: “%s” is not a currency code. Use three letters, e.g. EUR.</source>
        <translation>Währung: „%s“ ist kein Währungscode. Drei Buchstaben, z. B. EUR.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="425" />
        <source>Price: a price cannot be negative.</source>
        <translation>Preis: Ein Preis kann nicht negativ sein.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="427" />
        <source>Price: %s has no decimal places: type a whole amount.</source>
        <translation>Preis: %s hat keine Nachkommastellen: Geben Sie einen ganzen Betrag ein.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="431" />
        <source>Price: %s has at most %d decimal places.</source>
        <translation>Preis: %s hat höchstens %d Nachkommastellen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="436" />
        <source>Price: “%s” is not an amount. Type it as 35 or 35.50.</source>
        <translation>Preis: „%s“ ist kein Betrag. Eingabe z. B. 35 oder 35,50.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="441" />
        <source>Price: that is more than this app can take.</source>
        <translation>Preis: Das ist mehr, als diese App annehmen kann.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="465" />
        <source>Service: %s.</source>
        <translation>Leistung: %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="472" />
        <source>“%s” added.</source>
        <translation>„%s“ hinzugefügt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="498" />
        <source>Nothing to save: the service is as shown.</source>
        <translation>Nichts zu speichern: Die Leistung ist wie gezeigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/services_panel.py" line="503" />
        <source>Saved “%s”.</source>
        <translation>„%s“ gespeichert.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="41" />
        <source>Sign in — Reservations</source>
        <translation>Anmelden — Reservierungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="44" />
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="45" />
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="46" />
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="51" />
        <source>Sign-in error</source>
        <translation>Anmeldefehler</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="56" />
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="110" />
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="73" />
        <source>Sign in to your bookings</source>
        <translation>Bei Ihren Terminen anmelden</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="77" />
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="78" />
        <source>&amp;Username:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="79" />
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="110" />
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="127" />
        <source>Enter the server address, e.g. https://bookings.example.com</source>
        <translation>Geben Sie die Serveradresse ein, z. B. https://bookings.example.com</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="129" />
        <source>Enter your username.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/sign_in_dialog.py" line="131" />
        <source>Enter your password.</source>
        <translation>Geben Sie Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>SlotPicker</name>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="64" />
        <source>Book a free time</source>
        <translation>Freie Zeit buchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="78" />
        <source>Master</source>
        <translation>Meister</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="80" />
        <source>Service</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="84" />
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="90" />
        <source>Previous day</source>
        <translation>Vorheriger Tag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="93" />
        <source>Next day</source>
        <translation>Nächster Tag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="96" />
        <source>Free times</source>
        <translation>Freie Zeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="108" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="109" />
        <source>Anything the master should know (optional)</source>
        <translation>Was der Meister wissen sollte (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="119" />
        <source>Book</source>
        <translation>Buchen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="135" />
        <source>Loading the masters…</source>
        <translation>Meister werden geladen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="147" />
        <source>&amp;Master:</source>
        <translation>&amp;Meister:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="148" />
        <source>&amp;Service:</source>
        <translation>&amp;Leistung:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="149" />
        <source>&amp;Day:</source>
        <translation>&amp;Tag:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="154" />
        <source>&amp;Free times:</source>
        <translation>&amp;Freie Zeiten:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="155" />
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="234" />
        <source>No master offers bookings on this server yet.</source>
        <translation>Auf diesem Server bietet noch kein Meister Termine an.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="249" />
        <source>Loading %s's services…</source>
        <translation>Leistungen von %s werden geladen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="261" />
        <source>%s offers no services yet.</source>
        <translation>%s bietet noch keine Leistungen an.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="288" />
        <source>Looking for free times…</source>
        <translation>Freie Zeiten werden gesucht…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="309" />
        <source>This service cannot be booked any more.</source>
        <translation>Diese Leistung kann nicht mehr gebucht werden.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="336" />
        <source>The time you chose (%s) was just taken. Choose another one.</source>
        <translation>Die gewählte Zeit (%s) wurde gerade vergeben. Wählen Sie eine andere.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="342" />
        <source>1 free time: choose it.</source>
        <translation>1 freie Zeit: wählen Sie sie.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/slot_picker.py" line="344" />
        <source>%n free times: choose one.</source>
        <translation>
            <numerusform>%n freie Zeit: wählen Sie sie.</numerusform>
            <numerusform>%n freie Zeiten: wählen Sie eine.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="346" />
        <source>Times are your computer's (%s).</source>
        <translation>Zeiten in der Zeitzone Ihres Computers (%s).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="348" />
        <source>No free time on this day: try another day.</source>
        <translation>An diesem Tag ist nichts frei: versuchen Sie einen anderen Tag.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="353" />
        <source>The server cannot be reached now: %s</source>
        <translation>Der Server ist gerade nicht erreichbar: %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="373" />
        <source>Choose a master, a service and a free time first.</source>
        <translation>Wählen Sie zuerst einen Meister, eine Leistung und eine freie Zeit.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/slot_picker.py" line="378" />
        <source>Note: at most 2000 characters.</source>
        <translation>Notiz: höchstens 2000 Zeichen.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="50" />
        <source>Pending</source>
        <translation>Angefragt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="51" />
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="52" />
        <source>In progress</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="53" />
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="54" />
        <source>Declined</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="55" />
        <source>Cancelled</source>
        <translation>Abgesagt</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="56" />
        <source>No-show</source>
        <translation>Nicht erschienen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="57" />
        <source>Expired</source>
        <translation>Verfallen</translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="83" />
        <source>Sync status</source>
        <translation>Sync-Status</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="85" />
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="123" />
        <source>1 change waiting</source>
        <translation>1 Änderung wartet</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/status_indicator.py" line="125" />
        <source>%n changes waiting</source>
        <translation>
            <numerusform>1 Änderungen warten</numerusform>
            <numerusform>%n Änderungen warten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="131" />
        <source>Up to date</source>
        <translation>Aktuell</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="132" />
        <source>Updating…</source>
        <translation>Aktualisiere…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="133" />
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="138" />
        <source>Not synced yet</source>
        <translation>Noch nicht synchronisiert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="139" />
        <source>Last synced %s</source>
        <translation>Zuletzt synchronisiert %s</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="143" />
        <source>Everything you see matches the server.</source>
        <translation>Alles, was Sie sehen, entspricht dem Server.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="144" />
        <source>Changes are being sent to or fetched from the server.</source>
        <translation>Änderungen werden an den Server gesendet oder von ihm geholt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/status_indicator.py" line="146" />
        <source>The server cannot be reached. Your changes are kept and sent when it returns.</source>
        <translation>Der Server ist nicht erreichbar. Ihre Änderungen bleiben erhalten und werden gesendet, sobald er zurück ist.</translation>
    </message>
</context>
<context>
    <name>SyncDiagnostics</name>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="204" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="126" />
        <location filename="../../desktop_app/ui/diagnostics.py" line="127" />
        <source>Sync diagnostics</source>
        <translation>Sync-Diagnose</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="133" />
        <location filename="../../desktop_app/ui/diagnostics.py" line="135" />
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="133" />
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="133" />
        <source>Waiting for</source>
        <translation>Wartet seit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="133" />
        <source>Booking</source>
        <translation>Termin</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="135" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="135" />
        <source>Why</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="142" />
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="143" />
        <source>Counters</source>
        <translation>Zähler</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="148" />
        <location filename="../../desktop_app/ui/diagnostics.py" line="211" />
        <source>Pending changes</source>
        <translation>Wartende Änderungen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="149" />
        <source>Recent rollbacks</source>
        <translation>Letzte Rücknahmen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="188" />
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="188" />
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="205" />
        <source>Signed in as</source>
        <translation>Angemeldet als</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="206" />
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="207" />
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="208" />
        <source>Last synced</source>
        <translation>Zuletzt synchronisiert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="209" />
        <source>Cursor</source>
        <translation>Cursor</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/diagnostics.py" line="210" />
        <source>Next wake-up</source>
        <translation>Nächster Weckruf</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/statuses.py" line="109" />
        <source>%n change(s) will be sent when back online.</source>
        <translation>
            <numerusform>1 Änderung wird gesendet, sobald wieder online.</numerusform>
            <numerusform>%n Änderungen werden gesendet, sobald wieder online.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="118" />
        <source>Signed out: sign in again to sync.</source>
        <translation>Abgemeldet: zum Synchronisieren erneut anmelden.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="122" />
        <source>No network.</source>
        <translation>Kein Netzwerk.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="125" />
        <source>Cannot reach the server; retrying.</source>
        <translation>Server nicht erreichbar; neuer Versuch läuft.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="129" />
        <source>Loading bookings…</source>
        <translation>Buchungen werden geladen…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/statuses.py" line="131" />
        <source>Saving %n change(s)…</source>
        <translation>
            <numerusform>1 Änderung wird gespeichert…</numerusform>
            <numerusform>%n Änderungen werden gespeichert…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="133" />
        <source>Up to date (checking for changes periodically).</source>
        <translation>Aktuell (Änderungen werden regelmäßig abgefragt).</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="137" />
        <source>Up to date.</source>
        <translation>Aktuell.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/statuses.py" line="139" />
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
</context>
<context>
    <name>TimeOffPanel</name>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="105" />
        <source>Problem with the time off</source>
        <translation>Problem mit der freien Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="109" />
        <source>Time off</source>
        <translation>Freie Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="110" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="110" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="110" />
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="121" />
        <source>No time off planned.</source>
        <translation>Keine freie Zeit geplant.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="124" />
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="126" />
        <source>Delete the selected time off</source>
        <translation>Die gewählte freie Zeit löschen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="132" />
        <source>Time off from date</source>
        <translation>Freie Zeit ab Datum</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="133" />
        <source>Time off until date</source>
        <translation>Freie Zeit bis Datum</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="135" />
        <source>&amp;Whole days</source>
        <translation>&amp;Ganze Tage</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="139" />
        <source>Time off from time</source>
        <translation>Freie Zeit ab Uhrzeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="142" />
        <source>Time off until time</source>
        <translation>Freie Zeit bis Uhrzeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="146" />
        <source>HH:MM</source>
        <translation>HH:MM</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="149" />
        <source>Time off note</source>
        <translation>Notiz zur freien Zeit</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="150" />
        <source>e.g. Holiday (optional)</source>
        <translation>z. B. Urlaub (optional)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="153" />
        <source>&amp;Add time off</source>
        <translation>Freie Zeit &amp;hinzufügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="182" />
        <source>Add time off</source>
        <translation>Freie Zeit hinzufügen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="188" />
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="189" />
        <source>U&amp;ntil:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="198" />
        <source>N&amp;ote:</source>
        <translation>N&amp;otiz:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="251" />
        <source>Dates and times in %s.</source>
        <translation>Daten und Uhrzeiten in %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="258" />
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="258" />
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="308" />
        <source>Delete the time off %s?</source>
        <translation>Die freie Zeit %s löschen?</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="311" />
        <source>Delete time off</source>
        <translation>Freie Zeit löschen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="314" />
        <source>Customers can then book these times again.</source>
        <translation>Kunden können diese Zeiten dann wieder buchen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="315" />
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="317" />
        <source>Keep</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="373" />
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="374" />
        <source>until</source>
        <translation>bis</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="379" />
        <source>Time off, %s: “%s” is not a time. Type it as 14:00, 1400 or 14.</source>
        <translation>Freie Zeit, %s: „%s“ ist keine Uhrzeit. Eingabe z. B. 14:00, 1400 oder 14.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="388" />
        <source>Time off: “until” must be after “from”.</source>
        <translation>Freie Zeit: „bis“ muss nach „von“ liegen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="391" />
        <source>Time off lasts at most 366 days at once: add several.</source>
        <translation>Freie Zeit dauert höchstens 366 Tage am Stück: Fügen Sie mehrere hinzu.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/time_off_panel.py" line="397" />
        <source>Time off: %s.</source>
        <translation>Freie Zeit: %s.</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../desktop_app/ui/undo_bar.py" line="38" />
        <location filename="../../desktop_app/ui/undo_bar.py" line="41" />
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/undo_bar.py" line="43" />
        <source>Undo (Ctrl+Z)</source>
        <translation>Rückgängig (Strg+Z)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/undo_bar.py" line="47" />
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>WeekPanel</name>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="500" />
        <source>Previous week</source>
        <translation>Vorige Woche</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="501" />
        <source>Previous week (Page Up)</source>
        <translation>Vorige Woche (Bild auf)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="505" />
        <source>Next week</source>
        <translation>Nächste Woche</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="506" />
        <source>Next week (Page Down)</source>
        <translation>Nächste Woche (Bild ab)</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="508" />
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="515" />
        <source>Go to date</source>
        <translation>Gehe zu Datum</translation>
    </message>
</context>
<context>
    <name>WeekView</name>
    <message>
        <location filename="../../desktop_app/ui/week_view.py" line="104" />
        <source>Week view</source>
        <translation>Wochenansicht</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop_app/ui/week_view.py" line="174" />
        <source>Week of %s: %n bookings</source>
        <translation>
            <numerusform>Woche vom %s: %n Buchung</numerusform>
            <numerusform>Woche vom %s: %n Buchungen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Weekday</name>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="61" />
        <source>Monday</source>
        <translation>Montag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="62" />
        <source>Tuesday</source>
        <translation>Dienstag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="63" />
        <source>Wednesday</source>
        <translation>Mittwoch</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="64" />
        <source>Thursday</source>
        <translation>Donnerstag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="65" />
        <source>Friday</source>
        <translation>Freitag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="66" />
        <source>Saturday</source>
        <translation>Samstag</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="67" />
        <source>Sunday</source>
        <translation>Sonntag</translation>
    </message>
</context>
<context>
    <name>WeeklyHoursEditor</name>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="474" />
        <location filename="../../desktop_app/ui/hours_editor.py" line="476" />
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="485" />
        <location filename="../../desktop_app/ui/hours_editor.py" line="487" />
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="485" />
        <source>Minimum notice</source>
        <translation>Mindestvorlauf</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="486" />
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="486" />
        <source>Bookable days ahead</source>
        <translation>Buchbare Tage im Voraus</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="487" />
        <source>Slot step</source>
        <translation>Terminraster</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="491" />
        <source>Problem with the working hours</source>
        <translation>Problem mit den Arbeitszeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="493" />
        <source>Saving… not yet confirmed by the server.</source>
        <translation>Wird gespeichert… vom Server noch nicht bestätigt.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="498" />
        <source>The working hours were changed elsewhere meanwhile. Save puts yours in their place; Discard shows the new ones.</source>
        <translation>Die Arbeitszeiten wurden inzwischen anderswo geändert. Speichern setzt Ihre an deren Stelle; Verwerfen zeigt die neuen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="505" />
        <source>&amp;Save working hours</source>
        <translation>Arbeitszeiten &amp;speichern</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="509" />
        <source>Disca&amp;rd changes</source>
        <translation>Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="536" />
        <source>Time &amp;zone:</source>
        <translation>&amp;Zeitzone:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="538" />
        <source>Hours are local times in this zone; the gaps between hours are breaks.</source>
        <translation>Zeiten sind Ortszeiten dieser Zone; die Lücken zwischen den Zeiten sind Pausen.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="543" />
        <source>Weekly hours</source>
        <translation>Wochenzeiten</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="548" />
        <source>Booking rules</source>
        <translation>Buchungsregeln</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="551" />
        <source>Minimum &amp;notice:</source>
        <translation>Mindest&amp;vorlauf:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="552" />
        <source>Bookable &amp;up to:</source>
        <translation>Buchbar &amp;bis:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="553" />
        <source>Slot s&amp;tep:</source>
        <translation>Termin&amp;raster:</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="692" />
        <source>Time zone: “%s” is not a time zone. Pick one from the list, e.g. %s.</source>
        <translation>Zeitzone: „%s“ ist keine Zeitzone. Wählen Sie eine aus der Liste, z. B. %s.</translation>
    </message>
    <message>
        <location filename="../../desktop_app/ui/hours_editor.py" line="707" />
        <source>Working hours: %s.</source>
        <translation>Arbeitszeiten: %s.</translation>
    </message>
</context>
</TS>