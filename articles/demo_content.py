"""Demo content for The Meridian Review, a fictional foreign-policy magazine.

Everything here is invented for demonstration purposes: the authors, photographers, picture
agencies, companies, books, analysts and quotations are fictional, and the articles describe
plausible but imaginary events. Article bodies are HTML fragments that only use the tags the
editor allows (p, h2, h3, blockquote, ul, ol, li, a, strong, em).

``hours_ago`` is relative to the moment the content is loaded; a negative value means the article
is scheduled for the future. Articles without a ``status`` key are published; for a draft or an
article in review, ``hours_ago`` is when it was started.
"""

SECTIONS = [
    {
        "name": "Asia-Pacific",
        "slug": "asia-pacific",
        "description": "Strategy, trade and security from the Indian Ocean to the Pacific islands.",
        "position": 1,
    },
    {
        "name": "Middle East",
        "slug": "middle-east",
        "description": (
            "Politics, conflict and diplomacy across the Gulf, the Levant and North Africa."
        ),
        "position": 2,
    },
    {
        "name": "Military Industrial Complex",
        "slug": "military-industrial-complex",
        "description": (
            "How weapons are designed, financed, built and sold, and the politics that shape each "
            "step."
        ),
        "position": 3,
    },
    {
        "name": "Europe",
        "slug": "europe",
        "description": (
            "Security, institutions and foreign policy across the continent and its neighbourhood."
        ),
        "position": 4,
    },
    {
        "name": "Americas",
        "slug": "americas",
        "description": "Diplomacy, trade and security in North, Central and South America.",
        "position": 5,
    },
]

AUTHORS = [
    {
        "name": "Priya Raghunathan",
        "slug": "priya-raghunathan",
        "bio": (
            "Priya Raghunathan is The Meridian Review's Asia-Pacific editor and spent eight years "
            "reporting on maritime trade from Singapore and Manila. She writes about shipping "
            "lanes, semiconductor supply chains and the politics of regional institutions."
        ),
        "photo": {
            "alt_text": (
                "Portrait of Priya Raghunathan, smiling, in a dark blazer against a plain teal "
                "background."
            ),
            "caption": "Priya Raghunathan, Asia-Pacific editor.",
            "credit": "Photo: The Meridian Review",
            "color": "#2a6f7f",
        },
    },
    {
        "name": "Leila Mansour-Brandt",
        "slug": "leila-mansour-brandt",
        "bio": (
            "Leila Mansour-Brandt is the magazine's Middle East correspondent, based in Amman. "
            "She previously covered energy markets and Red Sea trade for a business wire service."
        ),
        "photo": {
            "alt_text": (
                "Portrait of Leila Mansour-Brandt with shoulder-length dark hair, photographed "
                "outdoors in soft evening light."
            ),
            "caption": "Leila Mansour-Brandt, Middle East correspondent.",
            "credit": "Photo: The Meridian Review",
            "color": "#b5651d",
        },
    },
    {
        "name": "Daniel Okwuosa",
        "slug": "daniel-okwuosa",
        "bio": (
            "Daniel Okwuosa reports on the defence industry, arms exports and military "
            "procurement. Before joining The Meridian Review he worked as a budget analyst for a "
            "parliamentary research service."
        ),
        "photo": {
            "alt_text": (
                "Portrait of Daniel Okwuosa in glasses and an open-collared shirt, standing in "
                "front of a bookshelf."
            ),
            "caption": "Daniel Okwuosa, defence industry reporter.",
            "credit": "Photo: The Meridian Review",
            "color": "#4a4e69",
        },
    },
    {
        "name": "Ingrid Halvorsen",
        "slug": "ingrid-halvorsen",
        "bio": (
            "Ingrid Halvorsen is Europe editor and divides her time between Oslo and Brussels. "
            "She writes about NATO, European defence policy and the security of the Baltic and "
            "Arctic regions."
        ),
        "photo": {
            "alt_text": (
                "Portrait of Ingrid Halvorsen with short fair hair and a grey wool coat, "
                "photographed against a pale wall."
            ),
            "caption": "Ingrid Halvorsen, Europe editor.",
            "credit": "Photo: The Meridian Review",
            "color": "#5b7c99",
        },
    },
    {
        "name": "Marisol Etxeberria",
        "slug": "marisol-etxeberria",
        "bio": (
            "Marisol Etxeberria is a contributing editor covering the Americas from Mexico City. "
            "Her reporting focuses on trade corridors, critical minerals and migration."
        ),
        "photo": {
            "alt_text": (
                "Portrait of Marisol Etxeberria with curly dark hair, laughing, seated at a café "
                "table."
            ),
            "caption": "Marisol Etxeberria, contributing editor for the Americas.",
            "credit": "Photo: The Meridian Review",
            "color": "#9c2c4a",
        },
    },
]

ARTICLES = [
    {
        "headline": "The Taiwan Strait's quietest year may also be its most fragile",
        "slug": "taiwan-strait-quiet-year-fragile",
        "dek": (
            "Fewer headline-grabbing incidents have masked a steady accumulation of small changes "
            "that leave less room for error on every side."
        ),
        "kind": "analysis",
        "section": "asia-pacific",
        "authors": ["priya-raghunathan"],
        "tags": ["Taiwan Strait", "Shipping", "Semiconductors"],
        "topic": "Taiwan Strait",
        "hours_ago": 5,
        "body": (
            "<p>By the usual measures, the past twelve months in the Taiwan Strait have been "
            "uneventful. There were no large-scale exercises announced with a day's notice, no "
            "sudden closures of airspace and no diplomatic rupture of the kind that sends "
            "shipping brokers to their phones at midnight. Commercial traffic through the "
            "waterway stayed close to its long-run average, and container rates on intra-Asian "
            "routes barely moved.</p>"
            "<p>That calm is real, but it is also misleading. Beneath the surface, the routines "
            "that govern how coast guards, navies and air forces operate around the strait have "
            "continued to shift in small increments. Each change on its own is modest. Taken "
            "together, they narrow the margin that has historically allowed all sides to misread "
            "one another without paying a price.</p>"
            "<h2>Routine as a form of pressure</h2>"
            "<p>The most significant trend is the normalisation of presence. Patrols that once "
            "drew formal protests now pass with a brief statement or none at all. Vessels operate "
            "closer to outlying islands for longer periods, and inspection drills are announced "
            "as administrative matters rather than military ones. A senior regional diplomat, "
            'speaking on condition of anonymity, described the approach as "pressure that has '
            'learned to look like paperwork".</p>'
            "<blockquote><p>Nobody is trying to provoke a crisis this year. The worry is that "
            "everyone is getting comfortable with positions that would have looked alarming five "
            "years ago.</p></blockquote>"
            "<h2>What markets are, and are not, pricing</h2>"
            "<p>Insurers and shippers have noticed, even if they rarely say so in public. "
            "War-risk premiums for the strait remain low, but several underwriters have quietly "
            'revised the clauses that define when a "blockade-like event" triggers cancellation '
            "rights. Chipmakers, meanwhile, continue to "
            '<a href="https://example.org/chip-assembly-diversification">diversify final '
            "assembly and testing</a>, even as the most advanced fabrication stays concentrated "
            "on the island. The result is a supply chain that is marginally more resilient and "
            "considerably more expensive.</p>"
            "<p>Three indicators are worth watching in the coming year:</p>"
            "<ul><li><strong>Boardings:</strong> whether coast guard inspections move from "
            "announced drills to unannounced boardings of commercial vessels.</li>"
            "<li><strong>Notice periods:</strong> changes to the warning given before exercises, "
            "which has served as an informal signalling channel.</li>"
            "<li><strong>Insurance language:</strong> any revision of the terms covering the "
            "approaches to major ports such as Kaohsiung and Keelung.</li></ul>"
            "<h2>A narrower margin</h2>"
            "<p>None of this makes conflict likely in the near term. But stability in the strait "
            "has long relied on an ambiguity that every party could live with. As routines "
            "harden, that ambiguity is being replaced by facts on the water, and facts are harder "
            "to walk back than statements. The quiet year has not been wasted by anyone. That is "
            "precisely why it deserves closer attention.</p>"
        ),
        "image": {
            "alt_text": (
                "A container ship passing a grey naval patrol vessel under low cloud, seen from a "
                "rocky coastal headland."
            ),
            "caption": (
                "Commercial traffic through the strait has held steady even as patrol patterns "
                "have shifted."
            ),
            "credit": "Photo: Aiko Fernández / Harbourline Photo",
            "palette": ["#1f3b57", "#8fa9bf"],
            "motif": "sea",
        },
        "related": ["kaohsiung-insurers-price-in-crisis", "clean-rooms-book-review"],
    },
    {
        "headline": "On Kaohsiung's docks, insurers price in a crisis that has not happened",
        "slug": "kaohsiung-insurers-price-in-crisis",
        "dek": (
            "Port operators and freight forwarders in southern Taiwan describe a quiet scramble "
            "over contract clauses, contingency routes and who pays if the strait closes."
        ),
        "kind": "reporting",
        "section": "asia-pacific",
        "authors": ["priya-raghunathan", "daniel-okwuosa"],
        "tags": ["Shipping", "Taiwan Strait", "Supply chains"],
        "topic": "Shipping",
        "hours_ago": 29,
        "body": (
            "<p>At a freight forwarding office overlooking the container terminals in Kaohsiung, "
            "the whiteboard that once tracked vessel arrivals now carries a second column. It "
            "lists, in neat handwriting, the alternative ports each major client would use if "
            'shipping through the Taiwan Strait were disrupted for more than a week. "We update '
            'it every Monday," said the office manager, who asked that neither she nor her firm '
            'be named. "Most weeks nothing changes. That is the point."</p>'
            "<h2>Clauses, not cannons</h2>"
            "<p>The anxiety here is expressed less in talk of missiles than in talk of contracts. "
            "Several forwarders described receiving revised terms from insurers over the past "
            "year, with narrower definitions of what counts as an insurable delay and new "
            'language on "government-directed interruptions". One logistics lawyer in Taipei '
            "said she had reviewed more such amendments in six months than in the previous "
            "decade.</p>"
            "<blockquote><p>Clients used to ask us how fast we could move their goods. Now the "
            "first question is what happens to their cargo if it sits at sea for a month, and who "
            "carries that cost.</p></blockquote>"
            "<p>For port operators, the calculation is different. Terminals are paid on volume, "
            "and volume has held up. Managers at two terminal companies said their priority was "
            "to avoid signalling alarm to customers while quietly testing procedures for "
            "diverting ships to the east coast or to ports in Japan and the Philippines.</p>"
            "<h2>The cost of preparing</h2>"
            "<p>Preparation is not free. Holding extra inventory ties up working capital, and "
            "sourcing components from a second supplier elsewhere in Asia raises unit costs. "
            "Electronics manufacturers with plants near the port have absorbed much of that "
            "expense so far, according to an industry association survey seen by <em>The Meridian "
            "Review</em>, but its authors warn that smaller firms are running out of room.</p>"
            "<ul><li>Most respondents said they now hold two to four weeks of additional stock of "
            "critical inputs.</li>"
            "<li>Fewer than a third had tested an actual rerouting of shipments.</li>"
            "<li>Nearly half expected to pass higher insurance costs on to customers within a "
            "year.</li></ul>"
            "<h2>Living with the question</h2>"
            "<p>On the quay itself, the mood is less theoretical. Crane operators work the same "
            "shifts, and trucks queue at the same gates. A dock supervisor who has worked at the "
            "port for two decades shrugged when asked about the risk of a blockade. The port had "
            "weathered typhoons, a pandemic and trade wars, he said, and the whiteboard upstairs "
            "was simply another kind of weather forecast. \"You don't stop working because it "
            'might rain," he said. "You check the sky and you keep loading."</p>'
        ),
        "image": {
            "alt_text": (
                "Gantry cranes lifting containers at dusk over a busy terminal, with stacks of "
                "coloured boxes in the foreground."
            ),
            "caption": (
                "Container terminals in southern Taiwan have kept running close to capacity."
            ),
            "credit": "Photo: Wen-Li Sato / Harbourline Photo",
            "palette": ["#243447", "#e08e45"],
            "motif": "skyline",
        },
        "related": ["taiwan-strait-quiet-year-fragile", "red-sea-shipping-adapted-ports-have-not"],
    },
    {
        "headline": "ASEAN's consensus rule is a feature, not a bug",
        "slug": "asean-consensus-feature-not-bug",
        "dek": (
            "Critics say the bloc moves too slowly on the South China Sea. Its insistence on "
            "unanimity is the reason it still matters at all."
        ),
        "kind": "opinion",
        "section": "asia-pacific",
        "authors": ["priya-raghunathan"],
        "tags": ["ASEAN", "South China Sea"],
        "topic": "ASEAN",
        "hours_ago": 52,
        "body": (
            "<p>Every few months, a familiar complaint resurfaces: the Association of Southeast "
            "Asian Nations is too cautious, too divided and too slow to say anything meaningful "
            "about the South China Sea. Joint statements are watered down, a code of conduct "
            "remains under negotiation after many years, and individual members hedge between the "
            "great powers. The proposed remedy is usually some form of majority voting, or a "
            "smaller coalition willing to act without the rest.</p>"
            "<p>This argument misunderstands what the bloc is for.</p>"
            "<h2>Slowness as insurance</h2>"
            "<p>ASEAN was never designed to be an alliance, and its members have never wanted it "
            "to become one. Its value lies in providing a table at which governments with very "
            "different interests, alignments and political systems can sit without any of them "
            "being outvoted. Consensus is the price of that table. Remove it, and several members "
            "would simply stop showing up in any meaningful sense.</p>"
            "<p>Consider what a majority-vote ASEAN would look like in practice. A statement on "
            "maritime disputes might pass, but those in the minority would feel free to disregard "
            "it, and outside powers would court individual capitals even more aggressively to "
            "build blocking coalitions. The bloc would gain a louder voice and lose the one thing "
            "it has that larger powers lack: the confidence of every member that it will never be "
            "turned against any of them.</p>"
            "<blockquote><p>A regional body that speaks with one voice only some of the time is "
            "still more useful than one that speaks loudly for half its members.</p></blockquote>"
            "<h2>Where reform could help</h2>"
            "<p>None of this means the status quo is ideal. There is room to make consensus work "
            "better without abandoning it:</p>"
            "<ul><li>Give the rotating chair a stronger mandate to table draft texts early, so "
            "that disagreements surface before summits rather than during them.</li>"
            "<li>Expand technical cooperation among coast guards and fisheries agencies, where "
            "practical gains do not require political unanimity.</li>"
            "<li>Publish more of the working record, so that citizens can see where consensus "
            "broke down and why.</li></ul>"
            "<p>Those who want ASEAN to behave like a security alliance should be honest that "
            "they want a different organisation. The one that exists has survived for more than "
            "half a century precisely because it refuses to pick winners among its members. In a "
            "region crowded with rivalries, that refusal is not a weakness. It is the whole "
            "design.</p>"
        ),
        "image": {
            "alt_text": (
                "A row of national flags on tall poles outside a glass-fronted conference centre "
                "on an overcast morning."
            ),
            "caption": "Member states' flags outside a regional summit venue.",
            "credit": "Photo: Rafael Mendoza-Klein / Northlight Images",
            "palette": ["#2e4a3f", "#c9b458"],
            "motif": "skyline",
        },
        "related": ["manila-tokyo-coast-guard-drill", "taiwan-strait-quiet-year-fragile"],
    },
    {
        "headline": "Manila and Tokyo plan expanded coast guard drill",
        "slug": "manila-tokyo-coast-guard-drill",
        "dek": (
            "The exercise will add search-and-rescue and boarding scenarios to earlier "
            "communications drills, officials said."
        ),
        "kind": "qiosk",
        "section": "asia-pacific",
        "authors": ["priya-raghunathan"],
        "tags": ["South China Sea", "Maritime security"],
        "topic": "Maritime security",
        "hours_ago": 2,
        "body": (
            "<p>The Philippine and Japanese coast guards will hold an expanded joint exercise "
            "next month, adding search-and-rescue and vessel-boarding scenarios to the "
            "communications drills staged in previous years, two officials familiar with the "
            "planning said. The exercise is expected to take place off northern Luzon and to "
            "involve several cutters and a surveillance aircraft.</p>"
            "<p>The officials described the drill as routine capacity-building. Regional analysts "
            "said its location and expanded scope would nonetheless be watched closely by other "
            "claimants in the South China Sea.</p>"
        ),
        "image": {
            "alt_text": (
                "Two white coast guard cutters sailing side by side on calm blue water under a "
                "clear sky."
            ),
            "caption": "Coast guard vessels during a previous joint exercise.",
            "credit": "Photo: Lena Okafor / Meridian Agency",
            "palette": ["#0f4c75", "#bbe1fa"],
            "motif": "sea",
        },
        "related": ["asean-consensus-feature-not-bug"],
    },
    {
        "headline": "Review: 'Clean Rooms' tells the chip story from the factory floor up",
        "slug": "clean-rooms-book-review",
        "dek": (
            "A new history of semiconductor manufacturing trades grand strategy for the "
            "engineers, suppliers and accidents that actually shaped the industry."
        ),
        "kind": "review",
        "section": "asia-pacific",
        "authors": ["daniel-okwuosa"],
        "tags": ["Semiconductors", "Export controls", "Supply chains"],
        "topic": "Semiconductors",
        "hours_ago": 76,
        "body": (
            "<p>Most recent books about semiconductors have really been books about power: which "
            "governments control which chokepoints, how export controls reshape alliances, what a "
            "crisis over Taiwan would do to the world economy. <em>Clean Rooms: A Working History "
            "of the Microchip</em>, by the engineer-turned-historian Mirela Costandache "
            "(Larchmont Press, 384 pages), takes a deliberately different route. Its subject is "
            "production rather than geopolitics, and it is all the more illuminating about "
            "geopolitics for that.</p>"
            "<h2>A history of small decisions</h2>"
            "<p>Costandache's central argument is that the concentration of advanced chipmaking "
            "in a handful of places was not the product of grand plans so much as an accumulation "
            "of small, practical choices: where a supplier of specialty gases happened to set up, "
            "which universities trained process engineers, which companies were willing to "
            "tolerate years of poor yields. Strategy came later, she suggests, mostly in the form "
            "of governments discovering dependencies that already existed.</p>"
            "<p>The strongest chapters are set inside fabrication plants. Costandache has a good "
            "ear for the vocabulary of the trade and an eye for telling detail, from the "
            "protocols for keeping a single hair out of a lithography bay to the weekly meetings "
            "at which engineers argue over a fraction of a percentage point of yield.</p>"
            "<blockquote><p>A chip plant, she writes, is less a factory than a very expensive "
            "argument with physics that has to be won again every morning.</p></blockquote>"
            "<h2>Where it falls short</h2>"
            "<p>The book is weaker when it steps back. Its treatment of export controls is brief "
            "and already somewhat dated, and readers looking for a clear account of current "
            "policy debates will need to look elsewhere. The final chapter, which speculates "
            "about the industry's next two decades, reads as though it was added at a publisher's "
            "request.</p>"
            "<p>There are also moments when the focus on engineers tips into romanticism. Working "
            "conditions in assembly and testing plants, which employ far more people than the "
            "gleaming fabs, receive only a few pages.</p>"
            "<h2>Verdict</h2>"
            "<p>These are modest complaints about a book that does something genuinely useful. "
            "For readers who have absorbed the strategic literature on chips and want to "
            "understand the industry those strategies are trying to govern, <em>Clean Rooms</em> "
            "is the best place to start. It is a reminder that supply chains are made of people "
            "and habits long before they become instruments of statecraft.</p>"
        ),
        "image": {
            "alt_text": (
                "Technicians in white protective suits inspecting silicon wafers under amber "
                "light in a clean room."
            ),
            "caption": (
                "The book spends most of its pages inside fabrication plants rather than "
                "ministries."
            ),
            "credit": "Photo: Tobias Renn / Northlight Images",
            "palette": ["#f2c94c", "#3a3a52"],
            "motif": "factory",
        },
        "related": ["taiwan-strait-quiet-year-fragile", "drone-start-up-prototype-to-production"],
    },
    {
        "headline": "Red Sea shipping has adapted. The region's ports have not.",
        "slug": "red-sea-shipping-adapted-ports-have-not",
        "dek": (
            "Carriers have absorbed the cost of longer routes around Africa, but the ports that "
            "depended on Suez traffic face a slower and harder reckoning."
        ),
        "kind": "analysis",
        "section": "middle-east",
        "authors": ["leila-mansour-brandt", "daniel-okwuosa"],
        "tags": ["Red Sea", "Shipping", "Gulf states"],
        "topic": "Red Sea",
        "hours_ago": 18,
        "body": (
            "<p>When attacks on merchant vessels in the southern Red Sea pushed major container "
            "lines to divert around the Cape of Good Hope, the initial expectation was that the "
            "disruption would be brief and costly. It turned out to be prolonged and, for the "
            "shipping lines themselves, surprisingly manageable. Longer voyages soaked up surplus "
            "vessel capacity, freight rates spiked and then settled, and schedules were redrawn "
            "around the new geography.</p>"
            "<p>The ports along the Red Sea have had no such luck.</p>"
            "<h2>A lopsided adjustment</h2>"
            "<p>For carriers, rerouting is a matter of fuel, time and crew. For ports, it is a "
            "matter of whether ships call at all. Terminals that had built their business around "
            "transhipment and feeder services linked to Suez traffic have seen volumes fall "
            "sharply, and some have lost services that may not return even when security "
            "improves. Shipping lines, having reorganised their networks once, are in no hurry to "
            "do it again.</p>"
            "<blockquote><p>Once a line has rebuilt its rotation around another hub, you are not "
            "competing for a ship any more. You are competing against a habit.</p></blockquote>"
            "<p>That remark, from a port strategy consultant who advises terminal operators in "
            "the region, captures the asymmetry. Canal revenues have been hit hard, but so have "
            "smaller ports on both shores whose finances were less diversified to begin with.</p>"
            "<h2>The Gulf's advantage</h2>"
            "<p>The picture is different further east. Large hubs in the Gulf states, with deep "
            "hinterlands and growing road and rail links, have been better placed to capture "
            "redirected cargo. Several have promoted "
            '<a href="https://example.org/gulf-land-corridors">overland corridors</a> that '
            "carry goods towards the Mediterranean without passing through the Bab el-Mandeb at "
            "all. These routes remain more expensive than a sea crossing, but they are "
            "increasingly treated as permanent options rather than emergency measures.</p>"
            "<h2>What recovery would require</h2>"
            "<p>A durable return of traffic would take more than a lull in attacks. Insurers "
            "would need confidence that calm will last, carriers would need a commercial reason "
            "to unwind networks they have already rebuilt, and Red Sea ports would need to offer "
            "something beyond geography: faster clearance, better inland connections and pricing "
            "that reflects their weakened position. The lesson of the past period is that a "
            "chokepoint is only valuable for as long as the world is willing to pass through "
            "it.</p>"
        ),
        "image": {
            "alt_text": (
                "A nearly empty container berth with idle cranes along a sunlit waterfront and "
                "calm turquoise water."
            ),
            "caption": "Berths at several Red Sea terminals have seen far fewer vessel calls.",
            "credit": "Photo: Kwame Asante-Roth / Field Desk Pictures",
            "palette": ["#c97b3c", "#1d3557"],
            "motif": "sea",
        },
        "related": ["aqaba-rerouted-trade", "kaohsiung-insurers-price-in-crisis"],
    },
    {
        "headline": "Gulf states weigh joint purchase of air-defence interceptors",
        "slug": "gulf-states-joint-air-defence-procurement",
        "dek": (
            "Officials say pooled buying could cut costs and speed up deliveries, but questions "
            "over crisis allocation and industrial offsets remain unresolved."
        ),
        "kind": "news",
        "section": "middle-east",
        "authors": ["leila-mansour-brandt"],
        "tags": ["Gulf states", "Air defence", "Arms exports"],
        "topic": "Air defence",
        "hours_ago": 9,
        "body": (
            "<p>Several Gulf governments are discussing a joint procurement arrangement for "
            "air-defence interceptors, according to three officials from the region and a Western "
            "defence industry executive familiar with the talks. The proposal would pool orders "
            "for missiles used by systems that several countries already operate, with the aim of "
            "securing lower unit prices and earlier delivery slots from manufacturers whose "
            "production lines are heavily booked.</p>"
            "<h2>Why now</h2>"
            "<p>Demand for interceptors has surged worldwide, and Gulf buyers have found "
            "themselves competing for the same limited output as customers in Europe and Asia. "
            "One official said that individual orders placed over the past two years had been "
            "quoted delivery times far longer than expected, and that a combined order would "
            "carry more weight with suppliers.</p>"
            "<blockquote><p>On our own, each of us is one customer among many. Together, we would "
            "be one of the largest buyers on the order book, and manufacturers would plan around "
            "us.</p></blockquote>"
            "<p>The discussions are at an early stage and no framework has been agreed, the "
            "officials said. The governments involved have not commented publicly.</p>"
            "<h2>Sticking points</h2>"
            "<p>Pooled procurement has been attempted before in the region, with mixed results. "
            "People close to the talks identified three main obstacles:</p>"
            "<ol><li>How stocks would be allocated in a crisis, and whether one member could draw "
            "on interceptors ordered by another.</li>"
            "<li>Industrial offset requirements, which several governments attach to large "
            "purchases and which would be hard to divide fairly.</li>"
            "<li>Differences in the configurations and software versions of systems already in "
            "service.</li></ol>"
            "<p>Omar Siddiqi, a defence economist at the Khaleej Strategic Forum, a regional "
            'research group, said the effort reflected a broader shift in priorities. "For years '
            'the focus was on buying the most advanced platforms," he said. "Now the question '
            "is whether you have enough missiles for the third week of a crisis, not just the "
            'first day."</p>'
            "<p>Manufacturers have signalled interest in larger and more predictable orders, "
            "which would help justify investment in extra production capacity. An executive at "
            "one supplier said a firm multi-year commitment from a group of buyers would be far "
            "easier to plan around than a series of urgent single orders arriving from different "
            "capitals.</p>"
            "<h2>Next steps</h2>"
            "<p>Officials expect technical working groups to meet again in the coming months. Any "
            "agreement would probably begin with a limited pilot covering a single interceptor "
            "type before being extended.</p>"
        ),
        "image": {
            "alt_text": (
                "A row of military trucks carrying radar and launcher units parked on a desert "
                "road at sunrise."
            ),
            "caption": "Air-defence equipment on display at a regional defence exhibition.",
            "credit": "Photo: Samira El-Haddad / Stillwater Agency",
            "palette": ["#d4a373", "#264653"],
            "motif": "mountains",
        },
        "related": ["europe-ammunition-chemistry-problem", "gulf-maritime-hotline-talks"],
    },
    {
        "headline": "In Aqaba, a port city learns to live with rerouted trade",
        "slug": "aqaba-rerouted-trade",
        "dek": (
            "Truck drivers, shipping agents and hotel owners in Jordan's only seaport describe "
            "how disruption far to the south reshaped their livelihoods within months."
        ),
        "kind": "reporting",
        "section": "middle-east",
        "authors": ["leila-mansour-brandt"],
        "tags": ["Red Sea", "Shipping", "Jordan"],
        "topic": "Red Sea",
        "hours_ago": 120,
        "body": (
            "<p>On a windy afternoon at a truck yard on the edge of Aqaba, a dozen drivers sat in "
            "the shade of a trailer playing cards. Some had been waiting three days for a load. "
            '"Before, there was work every day," said one, a father of four who has driven the '
            'route between the port and Amman for fifteen years. "Now we wait, and then we wait '
            'again."</p>'
            "<h2>A port at the end of a disrupted sea</h2>"
            "<p>Aqaba sits at the northern tip of the Gulf of Aqaba, an arm of the Red Sea, and "
            "its fortunes are tied to ships that must first pass through the Bab el-Mandeb strait "
            "far to the south. When insecurity there prompted many carriers to divert around "
            "Africa, fewer vessels found it worthwhile to make the long journey north to Jordan's "
            "only seaport.</p>"
            "<p>Shipping agents in the city said some direct services had been consolidated, with "
            "cargo now transhipped through other hubs and brought in by smaller feeder vessels. "
            "Transit times have lengthened, and costs have risen for importers of everything from "
            "construction materials to food.</p>"
            "<blockquote><p>Our clients do not care why the ship is late. They only see that the "
            "container costs more and arrives later, and they ask us to fix it.</p></blockquote>"
            "<h2>Looking inland</h2>"
            "<p>Not everyone in Aqaba has lost out. Some logistics firms have shifted towards "
            "overland cargo moving between the Gulf and the Mediterranean, and warehouse "
            "operators report steady demand from companies building up buffer stocks. Local "
            "officials have promoted the city as a node in regional land corridors, pointing to "
            "road upgrades and plans for better rail links.</p>"
            "<p>Tourism, long a pillar of the local economy alongside the port, has had its own "
            "difficulties as regional tensions have weighed on visitor numbers. Hotel owners "
            "along the seafront described offering steep discounts to domestic travellers to fill "
            "their rooms.</p>"
            "<h2>Waiting for the sea to reopen</h2>"
            "<p>Back at the truck yard, the drivers doubted that conditions would return to "
            "normal soon. One said he had considered selling his truck and looking for work in "
            'the Gulf, but had decided to wait another season. "The sea has been closed before, '
            'and it opened again," he said, gathering up the cards as a dispatcher called out a '
            'number. "We are patient people. But patience does not pay for diesel."</p>'
        ),
        "image": {
            "alt_text": (
                "Lorries parked in a long line at a dusty truck yard, with bare reddish hills "
                "rising behind them."
            ),
            "caption": "Trucks waiting for loads at a logistics yard on the outskirts of Aqaba.",
            "credit": "Photo: Lena Okafor / Meridian Agency",
            "palette": ["#e9c46a", "#6d597a"],
            "motif": "mountains",
        },
        "related": ["red-sea-shipping-adapted-ports-have-not"],
    },
    {
        "headline": "Technical talks on Gulf maritime hotline resume",
        "slug": "gulf-maritime-hotline-talks",
        "dek": (
            "Naval officers from several states met to discuss procedures for avoiding incidents "
            "at sea."
        ),
        "kind": "qiosk",
        "section": "middle-east",
        "authors": ["leila-mansour-brandt"],
        "tags": ["Gulf states", "Maritime security"],
        "topic": "Maritime security",
        "hours_ago": 14,
        "body": (
            "<p>Naval officers from several Gulf states met this week for another round of "
            "technical talks on a proposed communication channel meant to reduce the risk of "
            "incidents in the busy waters near the Strait of Hormuz, according to a diplomat "
            "briefed on the meeting. The discussions covered radio procedures, advance notice of "
            "exercises and the handling of unplanned encounters between patrol vessels.</p>"
            "<p>No agreement was announced, and the diplomat cautioned that political approval "
            "would be needed before any mechanism could take effect.</p>"
        ),
        "image": {
            "alt_text": (
                "A stylised map of the Persian Gulf and the Strait of Hormuz, with the main "
                "shipping lanes drawn as thin orange lines."
            ),
            "caption": (
                "The main shipping lanes through the Strait of Hormuz. A Meridian Review graphic."
            ),
            "credit": "",
            "no_credit_needed": True,
            "palette": ["#14213d", "#fca311"],
            "motif": "map",
        },
        "related": ["gulf-states-joint-air-defence-procurement"],
    },
    {
        "headline": "The Middle East needs a water compact before it needs another security pact",
        "slug": "case-for-regional-water-compact",
        "dek": (
            "Shared rivers and aquifers are becoming a quieter source of tension than borders. A "
            "modest regional framework could stop them becoming a louder one."
        ),
        "kind": "opinion",
        "section": "middle-east",
        "authors": ["leila-mansour-brandt"],
        "tags": ["Water security", "Climate", "Gulf states"],
        "topic": "Water security",
        "hours_ago": 1,
        "status": "draft",
        "body": (
            "<p>Discussions of regional security in the Middle East tend to focus on missiles, "
            "militias and maritime chokepoints. Far less attention goes to the slow, grinding "
            "pressure of water scarcity, even though it shapes the daily lives of many more "
            "people and, over time, the stability of governments.</p>"
            "<h2>A crisis without a headline</h2>"
            "<p>Rivers that cross borders are carrying less water in many years, groundwater is "
            "being pumped faster than it recharges, and rising temperatures are increasing demand "
            "for irrigation and cooling. Upstream dams are often built with little consultation "
            "downstream. Desalination eases the pressure along the coasts, but it is "
            "energy-hungry and does little for communities far inland.</p>"
            "<p>None of these trends produces a single dramatic moment. That is what makes them "
            "dangerous. Disputes accumulate quietly until a drought year turns a technical "
            "disagreement into a political one.</p>"
            "<h2>What a compact could do</h2>"
            "<p>A regional water compact would not need to resolve every dispute to be useful. It "
            "could begin with modest commitments:</p>"
            "<ul><li>Shared, published data on river flows, reservoir levels and aquifer "
            "depletion.</li>"
            "<li>Advance notification of new dams, diversions and large irrigation schemes.</li>"
            "<li>A standing technical forum, insulated from wider political disputes, where "
            "engineers and hydrologists meet regularly.</li></ul>"
            "<blockquote><p>Trust between governments is rarely built by grand gestures. It is "
            "built by exchanging the same numbers, on time, year after year.</p></blockquote>"
            "<h2>Starting small</h2>"
            "<p>Sceptics will say that governments which cannot agree on borders will never agree "
            "on water. Yet there are examples of rivals cooperating over shared rivers even "
            "during periods of open hostility, because the alternative was worse for everyone. "
            "Water management is technical enough to allow quiet progress and important enough to "
            "reward it.</p>"
            "<p>The region has no shortage of security dialogues. What it lacks is a forum for "
            "the resource that will decide whether many of its cities remain liveable. Building "
            "one now, while it can still be done calmly, would be among the most useful "
            "investments in stability available to its governments.</p>"
            "<p>Outside partners could help without taking over. Development banks and "
            "universities already fund much of the region's hydrological monitoring; pooling that "
            "work under a regional umbrella, with the data owned jointly by participating states, "
            "would cost little and signal seriousness. The compact's first achievement need not "
            "be a treaty. It could simply be a shared annual report that every government accepts "
            "as accurate.</p>"
        ),
        "image": {
            "alt_text": (
                "A cracked, dry riverbed with a narrow stream running down its centre and date "
                "palms along the far bank."
            ),
            "caption": (
                "Falling river levels have become a recurring source of friction between upstream "
                "and downstream states."
            ),
            "credit": "Photo: Samira El-Haddad / Stillwater Agency",
            "palette": ["#a68a64", "#3d5a80"],
            "motif": "mountains",
        },
        "related": ["aqaba-rerouted-trade"],
    },
    {
        "headline": "Europe's ammunition ramp-up is running into a chemistry problem",
        "slug": "europe-ammunition-chemistry-problem",
        "dek": (
            "New shell factories are coming online, but the propellants and explosives needed to "
            "fill them have become the real bottleneck."
        ),
        "kind": "analysis",
        "section": "military-industrial-complex",
        "authors": ["daniel-okwuosa", "ingrid-halvorsen"],
        "tags": ["Ammunition", "Defence budgets", "Supply chains"],
        "topic": "Ammunition",
        "hours_ago": 40,
        "body": (
            "<p>Over the past few years, European governments have signed contracts for millions "
            "of artillery shells and announced a wave of investment in new production lines. "
            "Metal casings, it turns out, are the easy part. The harder problem lies in the "
            "chemistry: the propellants, energetic materials and explosives without which a shell "
            "is just an expensive piece of steel.</p>"
            "<h2>Where the bottleneck sits</h2>"
            "<p>Production of these inputs was consolidated for decades into a small number of "
            "plants, some of them running well below capacity during the long lull in demand "
            "after the Cold War. Restarting or expanding them is slow. Sites must meet strict "
            "safety and environmental rules, experienced chemical engineers are scarce, and some "
            "precursors depend on suppliers outside Europe.</p>"
            "<ul><li><strong>Nitrocellulose</strong>, the basis of many propellants, relies on "
            "specialised cellulose feedstocks with few sources.</li>"
            "<li><strong>Explosive fillers</strong> require dedicated plants that can take years "
            "to permit and build.</li>"
            "<li><strong>Qualification</strong> of each new supplier adds months of testing "
            "before its output can be used.</li></ul>"
            "<blockquote><p>We can build a new shell line in eighteen months. A new propellant "
            "plant is a five-year conversation with regulators, neighbours and "
            "insurers.</p></blockquote>"
            "<p>That observation, from a production director at a mid-sized European munitions "
            "company, is echoed across the industry. Public announcements have focused on final "
            "assembly capacity, which is visible and easy to count. Upstream chemical capacity "
            "attracts less attention and, until recently, attracted less money.</p>"
            "<h2>The policy response</h2>"
            "<p>Some governments have begun to fund upstream capacity directly, through "
            "guaranteed purchase agreements and grants for new plants. The European Union has "
            'also <a href="https://example.org/eu-ammunition-support">directed funding towards '
            "components and raw materials</a> rather than only finished munitions. But these "
            "measures are newer and smaller than the headline procurement programmes. Industry "
            "executives say the most useful support is predictable demand: contracts long enough "
            "to justify building a plant that will take years to pay for itself.</p>"
            "<h2>Why it matters beyond Europe</h2>"
            "<p>The bottleneck has consequences beyond the continent. Shortages push up prices "
            "for every buyer and make producers more selective about which customers to serve "
            "first. For planners, the lesson is that defence industrial capacity is only as deep "
            "as its least glamorous supplier. Counting shells without counting the plants that "
            "fill them gives a misleading picture of readiness.</p>"
        ),
        "image": {
            "alt_text": (
                "Rows of empty artillery shell casings moving along a conveyor in a brightly lit "
                "factory hall."
            ),
            "caption": "Shell casings awaiting filling at a European munitions plant.",
            "credit": "Photo: Tobias Renn / Northlight Images",
            "palette": ["#6b705c", "#ffe8d6"],
            "motif": "factory",
        },
        "related": ["defence-budgets-procurement-reform", "nordic-shipbuilder-frigate-contract"],
    },
    {
        "headline": "Mid-sized Nordic yard wins frigate contract after larger rivals withdraw",
        "slug": "nordic-shipbuilder-frigate-contract",
        "dek": (
            "Norsund Yards will build four general-purpose frigates, a deal analysts say will "
            "test whether smaller shipbuilders can deliver complex warships on time."
        ),
        "kind": "news",
        "section": "military-industrial-complex",
        "authors": ["ingrid-halvorsen"],
        "tags": ["Shipbuilding", "Defence budgets", "NATO"],
        "topic": "Shipbuilding",
        "hours_ago": 64,
        "body": (
            "<p>Norsund Yards, a mid-sized shipbuilder better known for offshore support vessels "
            "and ferries, has been selected to build four general-purpose frigates for a joint "
            "procurement office representing three northern European navies, the office said on "
            "Tuesday. The contract, valued at several billion euros over its lifetime, follows "
            "the withdrawal of two larger bidders earlier in the competition.</p>"
            "<h2>How the yard won</h2>"
            "<p>According to a summary of the evaluation published by the procurement office, "
            "Norsund's bid scored highest on delivery schedule and through-life support while "
            "trailing competitors on design maturity. The yard proposes to build the hulls itself "
            "and subcontract combat systems integration to an established defence electronics "
            "firm. The two larger groups that left the competition last year cited full order "
            "books and disagreements over how risk was allocated in the draft contract.</p>"
            "<blockquote><p>We were not the biggest name in the room. We were the one that could "
            "show a realistic dock schedule and a workforce already in place.</p></blockquote>"
            "<p>The remark came from a Norsund executive speaking to reporters after the "
            "announcement. Company officials said they expected to hire several hundred "
            "additional workers over the next three years.</p>"
            "<h2>Questions over risk</h2>"
            "<p>Analysts welcomed the broadening of the industrial base but pointed to the risks. "
            "Warships involve far more complex systems integration than commercial vessels, and "
            "cost overruns are common even at experienced naval yards. Karin Voss, a naval "
            "procurement specialist at the Baltic Maritime Policy Centre, said the programme "
            'would be closely watched. "If a yard of this size can deliver, it changes the '
            'conversation about where Europe builds its navies," she said. "If it cannot, it '
            'will be cited for a decade as the reason to stick with the usual names."</p>'
            "<h2>What comes next</h2>"
            "<p>First steel is expected to be cut within eighteen months, with the lead ship due "
            "for sea trials later in the decade. The procurement office said the contract "
            "included penalties for late delivery and an option for two additional ships.</p>"
            "<p>The decision has been welcomed in the yard's home municipality, where it is "
            "expected to support work at dozens of smaller suppliers. Trade unions have asked for "
            "assurances that new staff will be trained in-house rather than hired through "
            "short-term agencies.</p>"
        ),
        "image": {
            "alt_text": (
                "A partly built grey warship hull in a covered dry dock, with welders working on "
                "scaffolding along its side."
            ),
            "caption": "Hull sections under construction at a Nordic shipyard.",
            "credit": "Photo: Jonas Ekberg-Lind / Northlight Images",
            "palette": ["#5c677d", "#d9d9d9"],
            "motif": "factory",
        },
        "related": ["europe-ammunition-chemistry-problem", "defence-budgets-procurement-reform"],
    },
    {
        "headline": "Inside a drone start-up's race from prototype to production line",
        "slug": "drone-start-up-prototype-to-production",
        "dek": (
            "A young company that builds reconnaissance drones has won orders faster than it can "
            "hire. Its growing pains show how hard it is to scale defence hardware."
        ),
        "kind": "reporting",
        "section": "military-industrial-complex",
        "authors": ["daniel-okwuosa"],
        "tags": ["Drones", "Defence start-ups", "Supply chains"],
        "topic": "Drones",
        "hours_ago": 96,
        "body": (
            "<p>The warehouse that houses Kestrel Loop used to be a furniture showroom. Now it "
            "holds rows of workbenches where technicians assemble small fixed-wing reconnaissance "
            "drones, each about the size of a suitcase when folded. A whiteboard near the "
            "entrance tracks orders against deliveries. The gap between the two columns is the "
            "company's biggest problem.</p>"
            "<h2>From garage to order book</h2>"
            "<p>Founded five years ago by three former aerospace engineers, Kestrel Loop spent "
            "its early years building prototypes and entering trials. Its chief executive, who "
            "asked to be identified only by her first name, Annika, said orders began to arrive "
            "once military customers started buying drones in quantity rather than as "
            "experiments.</p>"
            "<blockquote><p>For years the question was whether anyone would buy. Now the question "
            "is whether we can make fifty a month without the quality falling off a "
            "cliff.</p></blockquote>"
            "<p>Scaling up has exposed constraints that rarely appear in start-up pitch decks:</p>"
            "<ul><li>Qualified technicians who can obtain security clearances are scarce, and "
            "training new ones takes months.</li>"
            "<li>Key components such as cameras, motors and batteries come from a small number of "
            "suppliers, some of them outside Europe.</li>"
            "<li>Each new customer brings its own testing and certification requirements, which "
            "can delay deliveries even when the hardware is ready.</li></ul>"
            "<h2>Investors and governments</h2>"
            "<p>Venture capital funds that once avoided defence have become more willing to "
            "invest, and Kestrel Loop closed a sizeable funding round last year. But investors "
            "want growth, while military customers want reliability and long-term support. "
            "Reconciling the two requires a kind of patience that early-stage financing does not "
            "always provide.</p>"
            "<p>Government support has helped, mainly through framework contracts that give the "
            "company some visibility over future demand. Annika said such agreements mattered "
            'more than grants. "A grant pays for a year," she said. "A five-year framework '
            'lets me sign a lease and hire a production manager."</p>'
            "<h2>The next test</h2>"
            "<p>The company's next challenge is a move to a larger site later this year, which "
            "will triple its floor space. On the day of our visit, engineers were testing a new "
            "wing design in a wind tunnel rented by the hour from a nearby university. One of "
            'them pointed at the whiteboard. "When the columns match," he said, "we will know '
            'we have become a real factory."</p>'
        ),
        "image": {
            "alt_text": (
                "Engineers assembling small fixed-wing drones on long workbenches in a converted "
                "warehouse with high windows."
            ),
            "caption": "Assembly benches at Kestrel Loop's converted warehouse.",
            "credit": "Photo: Lena Okafor / Meridian Agency",
            "palette": ["#335c67", "#fff3b0"],
            "motif": "factory",
        },
        "related": ["europe-ammunition-chemistry-problem", "clean-rooms-book-review"],
    },
    {
        "headline": "Review: 'The Catalogue' is a sober guide to how weapons are sold",
        "slug": "the-catalogue-arms-trade-review",
        "dek": (
            "A former export-control official's history of the arms trade avoids both outrage and "
            "boosterism, and is more revealing as a result."
        ),
        "kind": "review",
        "section": "military-industrial-complex",
        "authors": ["daniel-okwuosa"],
        "tags": ["Arms exports", "Transparency"],
        "topic": "Arms exports",
        "hours_ago": 230,
        "body": (
            "<p>Books about the arms trade tend to fall into two camps. One treats it as a moral "
            "scandal populated by fixers and compromised officials. The other treats it as an "
            "instrument of statecraft, a tool for building alliances and sustaining industries. "
            "<em>The Catalogue: How the World Buys and Sells Weapons</em>, by Edmund Farrow-Okoye "
            "(Harrow &amp; Lune, 312 pages), manages to take both views seriously without "
            "collapsing into either.</p>"
            "<h2>An insider's patience</h2>"
            "<p>Farrow-Okoye spent two decades as an export-control official before turning to "
            "writing, and it shows. He is at his best describing the slow machinery of a sale: "
            "the trade fair conversations that lead to demonstrations, the "
            "government-to-government memoranda, the financing packages and the offset "
            "obligations that can run for decades after a contract is signed.</p>"
            "<blockquote><p>Most arms deals, he observes, are not struck in smoky back rooms but "
            "assembled over years in meeting rooms with bad coffee and very long "
            "spreadsheets.</p></blockquote>"
            "<p>The book is particularly good on offsets, the commitments by exporters to invest "
            "in or buy from the purchasing country. Farrow-Okoye shows how these arrangements, "
            "often presented as industrial development, can obscure the true price of a deal and "
            "create lasting dependencies.</p>"
            "<p>He is also illuminating on smaller exporting states, which often compete not on "
            "technology but on flexibility: quicker approvals, fewer conditions on end use and a "
            "willingness to sell modest quantities that larger suppliers find uneconomic. That "
            "corner of the market, he argues, receives far less scrutiny than headline sales of "
            "combat aircraft, even though its products turn up in many of the world's "
            "conflicts.</p>"
            "<h2>Gaps in the ledger</h2>"
            "<p>The book is less satisfying on enforcement. Farrow-Okoye describes the licensing "
            "systems he administered in detail but is reticent about cases where they failed, and "
            "readers may wonder whether professional loyalty has softened his judgement. A "
            "chapter on transparency argues for more detailed public reporting of export "
            "licences, yet offers few concrete proposals.</p>"
            "<h2>Verdict</h2>"
            "<p>Still, this is a valuable book, written with clarity and a dry wit. For "
            "journalists, students and legislators trying to understand why governments keep "
            "approving sales that look questionable from the outside, <em>The Catalogue</em> "
            "offers something rarer than a polemic: an explanation.</p>"
        ),
        "image": {
            "alt_text": (
                "Visitors walking between display stands with armoured vehicles and missile "
                "models in a large trade fair hall."
            ),
            "caption": (
                "Defence trade fairs feature prominently in the book's account of how deals begin."
            ),
            "credit": "Photo: Kwame Asante-Roth / Field Desk Pictures",
            "palette": ["#2b2d42", "#8d99ae"],
            "motif": "crowd",
        },
        "related": ["arms-export-report-delayed", "clean-rooms-book-review"],
    },
    {
        "headline": "Annual arms export report delayed again",
        "slug": "arms-export-report-delayed",
        "dek": (
            "A consolidated report on licences, normally published in spring, has slipped for a "
            "second year running."
        ),
        "kind": "qiosk",
        "section": "military-industrial-complex",
        "authors": ["daniel-okwuosa"],
        "tags": ["Arms exports", "Transparency"],
        "topic": "Transparency",
        "hours_ago": 33,
        "body": (
            "<p>A consolidated annual report on arms export licences compiled by several European "
            "governments, normally published each spring, will be delayed for a second "
            "consecutive year, according to two officials familiar with the process. They "
            "attributed the delay to late data submissions and to a move to a new reporting "
            "format.</p>"
            "<p>Transparency campaigners said the delay made it harder for legislators and "
            "researchers to scrutinise licensing decisions at a time of rising exports. Officials "
            "said the report would appear before the end of the year.</p>"
        ),
        "image": {
            "alt_text": (
                "A bar chart of arms export licences approved each year over a decade, with the "
                "bar for the latest year left blank."
            ),
            "caption": (
                "Licence approvals by year; the latest figures have not yet been published. A "
                "Meridian Review graphic."
            ),
            "credit": "",
            "no_credit_needed": True,
            "palette": ["#3c096c", "#ff9e00"],
            "motif": "map",
        },
        "related": ["the-catalogue-arms-trade-review"],
    },
    {
        "headline": "Defence budgets are rising. Procurement reform is not keeping pace.",
        "slug": "defence-budgets-procurement-reform",
        "dek": (
            "More money will not buy more capability unless governments change how they specify, "
            "contract and pay for equipment."
        ),
        "kind": "opinion",
        "section": "military-industrial-complex",
        "authors": ["ingrid-halvorsen"],
        "tags": ["Defence budgets", "NATO", "Procurement"],
        "topic": "Defence budgets",
        "hours_ago": 310,
        "body": (
            "<p>Across NATO, defence spending has risen faster in recent years than at any time "
            "since the end of the Cold War. Governments that long treated the alliance's "
            '<a href="https://example.org/nato-spending-guideline">spending guideline</a> as an '
            "aspiration now cite it as a floor. After decades of underinvestment, this is on "
            "balance a welcome correction. But the debate has become fixated on how much is "
            "spent, and far too little attention goes to how.</p>"
            "<h2>The specification trap</h2>"
            "<p>Many procurement systems still reward complexity. Requirements are written to "
            "cover every conceivable scenario, then amended repeatedly as programmes run on for "
            "years. Each amendment adds cost and delay, and the equipment that finally arrives is "
            "often exquisite, scarce and expensive to maintain.</p>"
            "<blockquote><p>A budget increase poured into an unreformed system mostly buys a "
            "longer queue.</p></blockquote>"
            "<p>That is not an argument for spending less. It is an argument for spending "
            "differently. Several reforms would make a larger budget go further:</p>"
            "<ol><li>Buy in larger, multi-year batches, so that manufacturers can invest in "
            "capacity with confidence.</li>"
            "<li>Accept proven, off-the-shelf designs where they meet most of the requirement, "
            "rather than commissioning bespoke variants.</li>"
            "<li>Budget for spare parts, training and maintenance at the outset, not as an "
            "afterthought.</li>"
            "<li>Give programme managers longer tenures and clearer authority, so that someone "
            "remains accountable from contract to delivery.</li></ol>"
            "<h2>The political obstacle</h2>"
            "<p>None of these ideas is new. The obstacle is political. Multi-year commitments "
            "limit the flexibility of future governments, and off-the-shelf purchases are less "
            "attractive when domestic industry hopes to design its own. Legislators often prefer "
            "programmes that spread work across many constituencies, even at the expense of "
            "efficiency. Finance ministries, for their part, are wary of long commitments that "
            "reduce their room for manoeuvre when economic conditions change.</p>"
            "<h2>Spending well is a strategy</h2>"
            "<p>Defence ministries are right to press for higher budgets, and the case for them "
            "has rarely been stronger. But a government that raises spending without changing how "
            "it buys will find, a few years from now, that it has less to show for the money than "
            "it promised. Reform is less visible than a headline budget figure. It is also the "
            "only way to make that figure mean something.</p>"
        ),
        "image": {
            "alt_text": (
                "A long conference table with name cards, water bottles and thick printed binders "
                "set in front of empty chairs."
            ),
            "caption": (
                "Procurement decisions are made in committee rooms long before equipment reaches "
                "units."
            ),
            "credit": "Photo: Marta Quilici / Stillwater Agency",
            "palette": ["#22333b", "#c6ac8f"],
            "motif": "skyline",
        },
        "related": ["europe-ammunition-chemistry-problem", "nordic-shipbuilder-frigate-contract"],
    },
    {
        "headline": "NATO's northern flank is becoming a logistics question",
        "slug": "nato-northern-flank-logistics",
        "dek": (
            "With Finland and Sweden inside the alliance, planners are shifting their attention "
            "from who would defend the Nordic region to how troops and supplies would reach it."
        ),
        "kind": "analysis",
        "section": "europe",
        "authors": ["ingrid-halvorsen"],
        "tags": ["NATO", "Baltic Sea", "Defence budgets"],
        "topic": "NATO",
        "hours_ago": 85,
        "body": (
            "<p>The accession of Finland and Sweden to NATO redrew the strategic map of northern "
            "Europe. The Baltic Sea is now ringed almost entirely by alliance members, and "
            "Finland's long eastern border has become part of NATO's frontier. Much of the public "
            "discussion has focused on what this means for deterrence. Among planners, the "
            "conversation has moved somewhere less dramatic: roads, railways, ports and fuel.</p>"
            "<h2>Distance and geography</h2>"
            "<p>Moving forces into the Nordic region is difficult. Distances are long, winters "
            "are harsh, and the road and rail networks were built mainly to serve national "
            "economies, not to carry heavy military equipment across borders. Finland's railways "
            "run on a different gauge from those of its western neighbours, and several key "
            "routes cross mountains or squeeze through narrow coastal corridors.</p>"
            "<blockquote><p>The map shows a continuous alliance from the Arctic to the Baltic. "
            "The timetable shows something else: a lot of single-track lines and not many places "
            "to unload a tank.</p></blockquote>"
            "<p>That assessment, from a logistics officer involved in alliance planning, reflects "
            "a wider recognition that reinforcement depends on unglamorous infrastructure. Recent "
            "exercises have tested the movement of troops and vehicles through Norwegian and "
            "Swedish ports and onward by land to Finland, with mixed results.</p>"
            "<h2>Where the money is going</h2>"
            "<p>Nordic governments have begun to invest accordingly. Their priorities include:</p>"
            "<ul><li>Upgrading rail lines and bridges to carry heavier loads.</li>"
            "<li>Expanding port capacity and fuel storage at harbours likely to receive "
            "reinforcements.</li>"
            "<li>Simplifying customs and movement permits for military convoys crossing national "
            "borders.</li></ul>"
            "<p>These projects are expensive and slow, and they compete with civilian priorities "
            "for the same construction capacity. Some can be partly financed through European "
            "programmes for dual-use transport infrastructure, but most of the bill falls on "
            "national budgets.</p>"
            "<h2>A quieter form of deterrence</h2>"
            "<p>Logistics rarely makes headlines, yet it is central to whether commitments on "
            "paper can be honoured in practice. An alliance that can move forces quickly to its "
            "northern edge is more credible than one that can only promise to. For the Nordic "
            "states, the work of the coming decade will be measured less in new weapons than in "
            "kilometres of upgraded track and tonnes of stored fuel.</p>"
        ),
        "image": {
            "alt_text": (
                "A freight train loaded with military vehicles crossing a snowy pine forest under "
                "a pale winter sky."
            ),
            "caption": (
                "Rail links across the Nordic region have become a focus of alliance planning."
            ),
            "credit": "Photo: Jonas Ekberg-Lind / Northlight Images",
            "palette": ["#e0e1dd", "#415a77"],
            "motif": "mountains",
        },
        "related": ["baltic-ports-tanker-checks", "defence-budgets-procurement-reform"],
    },
    {
        "headline": "Baltic governments to explore a shared air-defence stockpile",
        "slug": "baltic-states-shared-interceptor-stockpile",
        "dek": (
            "Defence ministers from Estonia, Latvia and Lithuania are expected to sign a letter "
            "of intent on pooled storage and procurement of interceptors."
        ),
        "kind": "news",
        "section": "europe",
        "authors": ["ingrid-halvorsen", "daniel-okwuosa"],
        "tags": ["Baltic Sea", "Air defence", "NATO"],
        "topic": "Air defence",
        "hours_ago": -48,
        "status": "scheduled",
        "body": (
            "<p>Defence ministers from Estonia, Latvia and Lithuania are expected to sign a "
            "letter of intent this week on exploring a shared stockpile of air-defence "
            "interceptors, according to two officials involved in drafting the document. The "
            "arrangement would allow the three countries to coordinate purchases and keep part of "
            "their inventories at common storage sites.</p>"
            "<h2>Why pooling appeals</h2>"
            "<p>The three states operate relatively small air-defence forces and have struggled "
            "to secure timely deliveries of interceptors amid heavy global demand. Officials said "
            "a joint approach would strengthen their bargaining position with manufacturers and "
            "make it easier to share stocks in an emergency. Common storage could also lower "
            "maintenance and security costs and make it simpler to rotate missiles before "
            "components reach the end of their shelf life. Each country would keep ownership of "
            "its own interceptors, officials stressed.</p>"
            "<blockquote><p>None of us can buy enough on our own to matter to a supplier. "
            "Together, we can at least join the queue with a serious order.</p></blockquote>"
            "<p>The letter of intent would not commit the governments to specific purchases. It "
            "would establish a working group to examine legal, financial and technical questions, "
            "with recommendations due within a year.</p>"
            "<h2>Open questions</h2>"
            "<p>Officials acknowledged several unresolved issues, including how costs would be "
            "shared, how stocks would be allocated in a crisis and how the arrangement would fit "
            "within existing NATO air-defence planning. Analysts noted that similar efforts "
            "elsewhere, including talks among Gulf states, have stalled over exactly these "
            "questions.</p>"
            "<p>Legal advisers involved in the drafting said any eventual agreement would also "
            "have to settle liability for accidents at shared depots, and the circumstances in "
            "which one partner could object to stocks being moved to another.</p>"
            "<h2>Next steps</h2>"
            "<p>If the working group reports favourably, a first joint order could be placed "
            "within two years. Officials said other allies around the Baltic Sea had asked to "
            "observe the process.</p>"
            "<p>The initiative comes as governments across the region raise defence spending and "
            "review plans for protecting critical infrastructure such as ports, power stations "
            "and undersea cables. One official described air defence as the area where the gap "
            "between what planners say they need and what is actually in stock remains widest.</p>"
        ),
        "image": {
            "alt_text": (
                "Soldiers in white winter uniforms standing beside a radar vehicle at the edge of "
                "a snow-covered pine forest."
            ),
            "caption": "An air-defence radar unit during a winter exercise in the Baltic region.",
            "credit": "Photo: Marta Quilici / Stillwater Agency",
            "palette": ["#1b263b", "#a3cef1"],
            "motif": "mountains",
        },
        "related": ["gulf-states-joint-air-defence-procurement", "nato-northern-flank-logistics"],
    },
    {
        "headline": "Baltic ports step up checks on ageing tankers",
        "slug": "baltic-ports-tanker-checks",
        "dek": (
            "Port authorities are asking older vessels for more detailed insurance documentation."
        ),
        "kind": "qiosk",
        "section": "europe",
        "authors": ["ingrid-halvorsen"],
        "tags": ["Baltic Sea", "Shipping", "Maritime security"],
        "topic": "Baltic Sea",
        "hours_ago": 22,
        "body": (
            "<p>Port authorities in several Baltic Sea states have begun requesting additional "
            "insurance documentation from older tankers calling at their harbours or anchoring in "
            "nearby waters, according to shipping agents in the region. The checks focus on "
            "vessels more than fifteen years old whose insurers are not members of the "
            "established international protection and indemnity clubs.</p>"
            "<p>Agents said the requests had so far caused only minor delays, but warned that "
            "stricter enforcement could lead some operators to avoid the region's ports "
            "altogether.</p>"
        ),
        "image": {
            "alt_text": (
                "A rust-streaked oil tanker at anchor on grey water, with a small pilot boat "
                "approaching its side."
            ),
            "caption": "An older tanker at anchor in the Baltic Sea.",
            "credit": "Photo: Aiko Fernández / Harbourline Photo",
            "palette": ["#343a40", "#adb5bd"],
            "motif": "sea",
        },
        "related": ["nato-northern-flank-logistics"],
    },
    {
        "headline": "At the Panama Canal, shippers learn to plan around the rain",
        "slug": "panama-canal-drought-season",
        "dek": (
            "After a drought forced draft limits and fewer daily transits, canal users have "
            "adjusted their schedules and cargoes to a waterway that depends on the weather."
        ),
        "kind": "reporting",
        "section": "americas",
        "authors": ["marisol-etxeberria", "priya-raghunathan"],
        "tags": ["Panama Canal", "Shipping", "Climate"],
        "topic": "Panama Canal",
        "hours_ago": 170,
        "corrections": [
            {
                "hours_ago": 30,
                "note": (
                    "An earlier version of this article said the canal's locks are filled by "
                    "pumps. They are filled by gravity from Gatun Lake."
                ),
            }
        ],
        "body": (
            "<p>From the viewing platform above one of the Panama Canal's lock complexes, the "
            "ships look deceptively unhurried. A container vessel edges into the chamber, "
            "electric locomotives on either side keeping it centred, and the water level begins "
            "to fall. What visitors do not see is the calculation behind each transit: how much "
            "fresh water it uses, and whether there will be enough next month.</p>"
            "<h2>A canal that runs on rain</h2>"
            "<p>The canal's locks are filled by gravity from Gatun Lake, a reservoir fed by "
            "rainfall, and every transit sends large volumes of fresh water out to sea. When a "
            "severe drought lowered the lake, the canal authority imposed draft restrictions and "
            "cut the number of daily transits, leaving ships waiting at anchor and some operators "
            "paying steep sums at auction for priority slots.</p>"
            "<blockquote><p>We used to plan around tides and port congestion. Now the first thing "
            "we check is the rainfall forecast for a lake in Central America.</p></blockquote>"
            "<p>That comment came from a scheduling manager at a container line who asked not to "
            "be named. Conditions have since improved and transit numbers have largely recovered, "
            "but many users now treat water levels as a permanent variable.</p>"
            "<h2>Adapting cargoes and routes</h2>"
            "<p>Shipping agents in Panama City described several adjustments that have outlasted "
            "the drought:</p>"
            "<ul><li>Lighter loading on some services, to stay within possible future draft "
            "limits.</li>"
            "<li>Greater use of rail across the isthmus, and of alternative routes, for "
            "time-sensitive cargo.</li>"
            "<li>Earlier booking of transit slots, particularly during the dry season.</li></ul>"
            "<h2>Water for ships and for people</h2>"
            "<p>The same lake system supplies drinking water to a large share of Panama's "
            "population, which makes canal water management a domestic political issue as well as "
            "a commercial one. Plans for an additional reservoir have been discussed for years "
            "and have raised concerns among communities that would have to move.</p>"
            "<p>For now, canal officials stress that the waterway remains reliable. But the "
            "drought left a lasting impression on the industry that depends on it. As one pilot "
            "put it while waiting for his next transit, the canal was built to overcome "
            "geography. It was never designed to overcome the weather.</p>"
        ),
        "image": {
            "alt_text": (
                "A large cargo ship inside a canal lock chamber, with tropical forest and a white "
                "control tower in the background."
            ),
            "caption": "A vessel passes through one of the canal's lock complexes.",
            "credit": "Photo: Rafael Mendoza-Klein / Northlight Images",
            "palette": ["#2a9d8f", "#e9c46a"],
            "motif": "sea",
        },
        "related": [
            "red-sea-shipping-adapted-ports-have-not",
            "lithium-diplomacy-bargaining-phase",
        ],
    },
    {
        "headline": "South America's lithium diplomacy enters its bargaining phase",
        "slug": "lithium-diplomacy-bargaining-phase",
        "dek": (
            "Producer governments are using demand from carmakers and rival powers to push for "
            "processing plants, local jobs and a bigger share of the value chain."
        ),
        "kind": "analysis",
        "section": "americas",
        "authors": ["marisol-etxeberria"],
        "tags": ["Critical minerals", "Supply chains", "Trade policy"],
        "topic": "Critical minerals",
        "hours_ago": 390,
        "body": (
            "<p>For much of the past decade, the debate over lithium in South America revolved "
            "around a simple question: how quickly could production grow to meet demand from "
            "battery makers? Today, governments in the region are asking a different one. They "
            "want to know how much of the value chain they can keep at home, and which foreign "
            "partners are willing to help them do it.</p>"
            "<h2>From extraction to processing</h2>"
            '<p>Argentina, Bolivia and Chile, often grouped together as the "lithium triangle", '
            "hold a large share of the world's identified resources, mostly in brine beneath "
            "high-altitude salt flats. Yet most refining of lithium into battery-grade chemicals "
            "has taken place elsewhere. Producer governments increasingly see that gap as both a "
            "missed opportunity and a source of leverage.</p>"
            "<blockquote><p>Selling raw concentrate is the mining model of the last century. "
            "Every contract we negotiate now starts with a conversation about what gets built "
            "here.</p></blockquote>"
            "<p>The remark, from an adviser to a mining ministry in the region, sums up a shift "
            "visible across the continent. Approaches differ sharply, however:</p>"
            "<ul><li>Some governments have favoured a larger role for state-owned companies and "
            "public-private partnerships.</li>"
            "<li>Others have relied on provincial authorities and private investment, with "
            "lighter central oversight.</li>"
            "<li>Several are negotiating with buyers from the United States, Europe and China at "
            "the same time, seeking the best terms on technology transfer.</li></ul>"
            "<h2>The limits of leverage</h2>"
            "<p>Leverage has its limits. Lithium prices are volatile, and a slump can quickly "
            "weaken a producer's bargaining position. Processing plants need cheap energy, water "
            "and skilled labour, all of which are contested in arid highland regions where "
            "indigenous communities have raised concerns about water use and consultation. "
            "Competition among the producers themselves can also undercut any single government's "
            "demands, since investors unhappy with one country's terms can look across the "
            "border.</p>"
            "<h2>What to watch</h2>"
            "<p>The coming years will test whether the region can turn resource wealth into "
            "industrial capacity. Key indicators include whether announced refining projects "
            "reach construction, how disputes over water rights are resolved, and whether trade "
            "agreements with major consumers contain meaningful commitments on local processing. "
            "Lithium has handed South American governments a stronger hand than they have held in "
            "commodity markets for some time. The question now is how skilfully they play it.</p>"
        ),
        "image": {
            "alt_text": (
                "Rectangular evaporation ponds in shades of turquoise and white spread across a "
                "high-altitude salt flat."
            ),
            "caption": "Evaporation ponds on a salt flat in the Andes.",
            "credit": "Photo: Inés Calderón-Ruiz / Meridian Agency",
            "palette": ["#48cae4", "#f1faee"],
            "motif": "mountains",
        },
        "related": ["panama-canal-drought-season", "clean-rooms-book-review"],
    },
    {
        "headline": "Why small navies are buying bigger drones",
        "slug": "small-navies-bigger-drones",
        "dek": (
            "Coastal states that cannot afford frigates are turning to long-range uncrewed "
            "aircraft to watch their waters. The hard part is what comes after they see something."
        ),
        "kind": "analysis",
        "section": "military-industrial-complex",
        "authors": ["daniel-okwuosa"],
        "tags": ["Drones", "Maritime security"],
        "topic": "Drones",
        "hours_ago": 20,
        "status": "review",
        "body": (
            "<p>For a country with a long coastline and a short defence budget, the arithmetic of "
            "maritime surveillance has always been cruel. A patrol ship covers a small circle of "
            "sea at a time, and a crewed patrol aircraft costs more to fly each year than many "
            "coastguards spend on everything else.</p>"
            "<h2>Eyes, not teeth</h2>"
            "<p>Medium-altitude drones change the sums. Several coastal states have ordered them "
            "in the past two years, mostly unarmed and mostly for fisheries and smuggling patrols. "
            "Procurement officials describe them as eyes rather than teeth.</p>"
            "<p>The difficulty comes after detection. A drone can follow a suspect trawler for a "
            "day, but someone still has to board it, and the boats that do that are as scarce as "
            "they were before.</p>"
            "<h2>The data problem</h2>"
            "<p>Each flight produces hours of video and radar tracks. Coastguards that bought the "
            "aircraft on a capital budget often found that nobody had paid for the analysts, the "
            "secure links or the storage, and that the footage sat unwatched on hard drives.</p>"
            "<p>Some have begun pooling the work with neighbours, sharing tracks of vessels that "
            "switch off their transponders near a maritime boundary. That arrangement asks more of "
            "diplomacy than of engineering, which is why it has moved slowly.</p>"
            "<h2>What to watch</h2>"
            "<ul><li>Whether the next round of orders includes the ground stations and training "
            "the first round left out.</li>"
            "<li>Whether regional fisheries bodies agree common rules for sharing drone data.</li>"
            "<li>Whether any buyer arms the aircraft, which would change how neighbours read them."
            "</li></ul>"
        ),
        "image": {
            "alt_text": "A grey long-winged drone parked on an airfield apron at dawn.",
            "caption": "A surveillance drone before a coastal patrol flight.",
            "credit": "Photo: Tomasz Wierzbicki / Harbourline Pictures",
            "palette": ["#6c757d", "#f8f9fa"],
            "motif": "skyline",
        },
    },
    {
        "headline": "Notes towards a profile of the Arctic Council's quietest delegate",
        "slug": "arctic-council-quietest-delegate",
        "dek": "Working draft: a portrait of a diplomat who prefers footnotes to speeches.",
        "kind": "reporting",
        "section": "europe",
        "authors": ["ingrid-halvorsen"],
        "tags": ["Arctic", "Diplomacy"],
        "topic": "Arctic",
        "hours_ago": 260,
        "status": "draft",
        "body": (
            "<p>Outline: early career in fisheries negotiations; the years on the council's "
            "working groups; colleagues' accounts of the delegate's habit of redrafting other "
            "people's communiqués overnight.</p>"
            "<p>Still to do: two more interviews, and a check of the dates of the "
            "search-and-rescue agreement talks.</p>"
            "<h2>Scenes to build</h2>"
            "<p>The ministerial meeting where the delegate spent the coffee break rewriting a "
            "paragraph on oil-spill response that three governments had already approved, and "
            "persuaded all three to accept the new version before the session resumed.</p>"
            "<p>The winter in a coastal town far north of the capital, learning enough of an "
            "indigenous language to follow a reindeer herders' meeting without an interpreter.</p>"
            "<p>A former colleague's line, worth checking before it goes in: the delegate reads "
            "every annex before the main text, on the theory that governments hide their real "
            "concessions at the back.</p>"
            "<p>Background to add: how the council's consensus rule works, why observers cannot "
            "vote, and what the working groups on shipping, search and rescue and pollution have "
            "produced that outlasted the ministers who announced them.</p>"
            "<h2>Questions for the next interview</h2>"
            "<ul><li>What changed in the council's work when scientific cooperation was "
            "paused?</li>"
            "<li>Which agreement does the delegate think will outlast the current tensions?</li>"
            "<li>Why decline every invitation to speak at conferences?</li></ul>"
            "<p>Length target: about 2,500 words. Photos: ask the picture desk for the archive of "
            "the council's working group meetings.</p>"
        ),
        "image": {
            "alt_text": "Sea ice broken into plates under a pale sky.",
            "caption": "Drift ice in the Barents Sea.",
            "credit": "Photo: Sigrun Aasheim / Northlight Images",
            "palette": ["#caf0f8", "#0077b6"],
            "motif": "sea",
        },
    },
]

DONATION_APPEAL = {
    "title": "Our year-end appeal: keep The Meridian Review independent",
    "message": (
        "<p>Dear reader,</p><p>The Meridian Review has no owner to answer to, no advertisers "
        "shaping our coverage and no paywall between you and our journalism. We are funded by "
        "readers, and that is what lets our small team spend weeks on a single story, travel to "
        "the ports, factories and border towns we write about, and publish analysis that follows "
        "the evidence rather than the news cycle.</p><p>If you value careful, independent "
        "reporting on foreign policy, please consider a contribution before the end of the year. "
        "Every gift, large or small, goes directly into reporting, editing and fact-checking. "
        "Thank you for reading, and for helping us keep going.</p>"
    ),
    "button_label": "Support independent reporting",
    "url": "/donate/",
}

NEWSLETTER = {
    "name": "The Weekly Round-up",
    "slug": "weekly-round-up",
    "description": (
        "Our editors' pick of the week's most important analysis and reporting, delivered to your "
        "inbox every Friday morning."
    ),
}
