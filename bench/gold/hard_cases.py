"""Hard cases for sentence segmentation: original medical prose written for this gold set.

Every paragraph is a list of its gold sentences; the splitter's input is those sentences joined by
a single space. The paragraphs are grouped by the difficulty they exercise (CATEGORIES), and
HARD_CASES is all of them in one list.

Conventions (the same ones articles/sentences.py follows):
- A sentence may start with a lower-case word when that word is a mixed-case term ("mRNA",
  "iPSCs", "eGFR", "pH", "p53"). A plain lower-case word after a full stop never starts a
  sentence: it nearly always follows an abbreviation ("approx. thirty", "incl. asthma").
- A numbered step ("1. Wash your hands.") is one sentence, its number included.
- A citation bracket belongs to the sentence it cites, before or after the full stop.
- A parenthesis or quotation that holds whole sentences between two sentences is a sentence of
  its own, brackets and quotes included.
- Abbreviations with inner full stops ("U.S.", "Ph.D.", "b.i.d."), "et al.", "etc." and journal
  words end a sentence only before a word that typically opens one ("The", "In", "She", ...).
"""

NBSP = "\u00a0"  # no-break space, as editors paste it between a number and its unit
NNBSP = "\u202f"  # narrow no-break space, as French-style typesetting puts before units

CATEGORIES = {
    "latin abbreviations": [
        [
            "Some inhaled drugs, e.g. salmeterol, act for twelve hours.",
            "Others, i.e. the short-acting ones, wear off within four to six hours.",
            "Ask your pharmacist which kind you have.",
        ],
        [
            "Compare the older regimen (cf. Table 3) with the one used today.",
            "The difference is mostly in the number of tablets, viz. four a day instead of nine.",
            "Fewer tablets mean fewer missed doses.",
        ],
        [
            "Statins vs. placebo reduced major vascular events by about a fifth.",
            "The benefit appeared in the first year.",
            "Cf. the earlier trials, which were shorter.",
        ],
        [
            "The monastery records describe an outbreak ca. 1350.",
            "Historians think it was plague.",
            "Mortality reached ca. 40% in some towns.",
        ],
        [
            "Common triggers include dust, pollen, smoke, cold air, etc.",
            "Most people react to more than one trigger.",
            "Keep a diary of symptoms, meals, sleep, etc. and bring it to the clinic.",
        ],
        [
            "Symptoms vary with age, i.e. older adults may have no fever at all.",
            "Confusion, e.g. sudden difficulty finding words, can be the only sign.",
            "Relatives often notice it first.",
        ],
        [
            "The cream is applied thinly, i.e. a fingertip unit covers two adult palms.",
            "Thicker layers do not work better.",
            "They only stain clothes.",
        ],
        [
            "Metformin vs. sulfonylureas: which should come first?",
            "Guidelines favour metformin for most adults.",
            "Sulfonylureas carry a higher risk of low blood sugar, esp. in older people.",
        ],
    ],
    "titles and degrees": [
        [
            "Dr. Amara Osei reviewed this article in March.",
            "She is a consultant in respiratory medicine.",
            "Prof. Lukas Berg checked the statistics.",
        ],
        [
            "The leaflet was written by Hannah Kirby, M.D., and Tomás Reyes, Ph.D., for the patient panel.",
            "Both have worked in stroke rehabilitation for over a decade.",
        ],
        [
            "The study was led by Priya Nair, Ph.D.",
            "She trained in Edinburgh.",
            "Her team recruited patients from nine hospitals.",
        ],
        [
            "Mr. Ahmed, a 67-year-old retired teacher, noticed blood in his urine.",
            "Mrs. Ahmed persuaded him to see Dr. Lowe the next day.",
            "A scan found a small kidney stone.",
        ],
        [
            "St. John's wort interacts with many medicines.",
            "It can make the contraceptive pill less effective.",
            "Tell your doctor if you take it.",
        ],
        [
            "Ms. Duarte asked whether the vaccine was safe in pregnancy.",
            "Dr. Kim explained the evidence from large registries.",
            "Ms. Duarte chose to have it.",
        ],
    ],
    "authors and initials": [
        [
            "Smith J. et al. followed 1,200 nurses for twenty years.",
            "They found no link between night shifts and the condition.",
        ],
        [
            "A second cohort was described by Okafor et al. in 2021.",
            "It was smaller but better phenotyped.",
            "The results agreed with those of Smith et al.",
        ],
        [
            "The same pattern was reported by Lindqvist et al.",
            "The trial stopped early for benefit.",
            "The safety board saw a clear difference at the second interim analysis.",
        ],
        [
            "The method was first proposed by J. R. Hartley in 1998.",
            "It was refined by M. Chen and A. Bose a decade later.",
            "Both versions are still in use.",
        ],
        [
            "Garcia M., Novak P. and Ito K. pooled data from eleven trials.",
            "The pooled estimate favoured early surgery.",
        ],
        [
            "Patel et al. [12] found a similar effect in children.",
            "Earlier work by Rossi et al. (2015) had suggested the opposite.",
            "Neither study was blinded.",
        ],
    ],
    "journal names": [
        [
            "The trial was published in N. Engl. J. Med. 2018;379:2097-107 and has been cited widely.",
            "A follow-up report appeared two years later.",
        ],
        [
            "The review in Am. J. Respir. Crit. Care Med. examined 34 studies.",
            "Most were small.",
            "Only six were randomised.",
        ],
        [
            "See also Ann. Intern. Med. 2020;172:1-10 for the guideline summary.",
            "It includes a decision aid for patients.",
        ],
        [
            "The findings were reported in Lancet Respir. Med.",
            "The authors called for larger trials.",
            "Funding has since been secured.",
        ],
        [
            "An editorial in Eur. Heart J. questioned the choice of endpoint.",
            "The investigators replied in the same issue.",
        ],
        [
            "Proc. Natl. Acad. Sci. U.S.A. published the mouse data first.",
            "Human data followed in Nat. Med. two years later.",
            "Both papers are open access.",
        ],
    ],
    "figures, numbers and pages": [
        [
            "Survival curves are shown in Fig. 2.",
            "They separate after six months.",
            "Fig. 3 shows the same data by age group.",
        ],
        [
            "Trial No. 5 enrolled patients with mild disease.",
            "Trials No. 6 and No. 7 enrolled more severe cases.",
            "Did the results differ?",
            "No.",
            "The effect was the same in all three.",
        ],
        [
            "The dosing table is on pp. 12–14 of the product information.",
            "The interactions are listed on p. 15.",
            "Read both sections before the first dose.",
        ],
        [
            "Approx. 1 in 20 adults has the condition.",
            "Of these, approx. 30% are never diagnosed.",
            "Screening could find many of them.",
        ],
        [
            "The guideline (Vol. 3, Ch. 4) covers children separately.",
            "Doses there are given per kilogram.",
        ],
        [
            "Refs. 4 and 9 describe the same patients.",
            "They should not be counted twice in a meta-analysis.",
        ],
        [
            "Figs. 4 and 5 compare the two arms.",
            "The shaded area is the 95% confidence band.",
        ],
    ],
    "decimals, doses and statistics": [
        [
            "The usual dose is 1.5 mg/kg once daily.",
            "In kidney disease it is reduced to 0.75 mg/kg.",
            "Never exceed 120 mg in a day.",
        ],
        [
            "The difference was significant (p < 0.05).",
            "After adjustment for age it was smaller, p = .03.",
            "The effect size was modest.",
        ],
        [
            "The hazard ratio was 0.82 (95% CI 0.71–0.94).",
            "For the primary endpoint the odds ratio was 1.9, 95% CI 1.2–3.4.",
            "Both favour the new treatment.",
        ],
        [
            "Blood pressure fell by 8.4/4.1 mmHg on average.",
            "The range was wide, from 2.0 to 19.5 mmHg.",
            "Some people saw no change.",
        ],
        [
            "Relapse rates were 12.5% vs. 20.1% at one year.",
            "That is an absolute difference of 7.6 percentage points.",
            "About 13 people need treating to prevent one relapse.",
        ],
        [
            "Adults take 2.5–5 mg at night.",
            "Older adults start at 1.25 mg.",
            "The dose can be raised every 2–4 weeks.",
        ],
        [
            "Only 0.3% of patients had a serious reaction.",
            "Mild reactions were common: 35–40% reported a sore arm.",
            "They settled within 1.5 days on average.",
        ],
        [
            "The correlation was weak (r = 0.21, p = .04).",
            "A value of r = .8 or more would suggest a strong link.",
            "Correlation does not prove cause.",
        ],
        [
            "Mean HbA1c fell from 8.1% to 7.2%.",
            "The target for most adults is below 7.0%.",
            "Some older adults aim for 8.0%.",
        ],
    ],
    "sentences starting with a digit": [
        [
            "The trial began in 2016.",
            "1,204 adults were screened and 812 were enrolled.",
            "Follow-up lasted five years.",
        ],
        [
            "Most cases occur in winter.",
            "30–40% of them need hospital care.",
            "2 in 5 of those are over 75.",
        ],
        [
            "Is 5 mg enough?",
            "10 mg may be needed in heavier patients.",
            "Your doctor will decide.",
        ],
    ],
    "units at the end of a sentence": [
        [
            "A fasting glucose of 126 mg/dL or more suggests diabetes.",
            "A repeat test should confirm it above 126 mg/dL.",
            "Values between 100 and 125 mg/dL suggest prediabetes.",
        ],
        [
            "In Europe the same threshold is written as 7.0 mmol/L.",
            "Ketones are measured in mmol/L.",
            "Above 3.0 mmol/L is an emergency.",
        ],
        [
            "Adults need about 600 IU.",
            "People over 70 need 800 IU.",
            "The upper safe limit is 4,000 IU.",
        ],
        [
            "The tablet contains 500 mg.",
            "Take one with a full glass of water.",
            "Do not take more than 4 g.",
        ],
        [
            "Rest for at least 30 min.",
            "Then walk slowly for 10 min.",
            "Stop if you feel chest pain.",
        ],
        [
            "Infuse over 60 minutes at 2 mL/min.",
            "Slow the rate to 1 mL/min if flushing occurs.",
        ],
    ],
    "stages, types and vitamins": [
        [
            "Her tumour was Stage II.",
            "It had not spread beyond nearby lymph nodes.",
            "Surgery was followed by chemotherapy.",
        ],
        [
            "His cancer was found at Stage I.",
            "No further treatment was needed after surgery.",
            "He has yearly scans.",
        ],
        [
            "Many people in northern countries lack vitamin D.",
            "In winter the sun is too low to make enough of it.",
            "A daily supplement is advised from October to March.",
        ],
        [
            "The baby was vaccinated against hepatitis B.",
            "The mother had tested positive during pregnancy.",
            "A second dose is due at one month.",
        ],
        [
            "Most adults with diabetes have type 2 diabetes.",
            "In type 1 diabetes the body makes no insulin.",
            "Both raise the risk of heart disease.",
        ],
        [
            "Exercise lowers the risk of type 2 diabetes.",
            "In one trial, walking 150 minutes a week cut it by a third.",
            "The effect lasted for years after the trial ended.",
        ],
        [
            "Warfarin works against vitamin K.",
            "Large changes in green vegetables can alter its effect.",
            "Keep your diet steady.",
        ],
        [
            "The lesion was graded as Class IV.",
            "Class IV lesions need urgent review.",
        ],
        [
            "Patients were randomised to arm A or arm B.",
            "Arm A received the new drug.",
            "Those in arm B received placebo.",
        ],
        [
            "The strain belonged to group A.",
            "Group A streptococci cause sore throats and, rarely, severe infections.",
        ],
    ],
    "numbered steps": [
        [
            "1. Wash your hands with soap and water.",
            "2. Dry them with a clean towel.",
            "3. Remove the cap from the pen.",
            "4. Check that the liquid is clear.",
        ],
        [
            "Before you start, gather what you need.",
            "1. Open the sachet.",
            "2. Mix the powder with 100 mL of water.",
            "3. Drink it within 15 minutes.",
        ],
        [
            "The cells seem to help in two ways.",
            "1. They release signals that calm the immune response.",
            "2. They support the growth of new blood vessels.",
        ],
        [
            "Follow these steps twice a day.",
            "1. Breathe out fully.",
            "2. Seal your lips around the mouthpiece and breathe in deeply.",
            "3. Hold your breath for 10 seconds.",
        ],
    ],
    "questions and exclamations": [
        [
            "Is the vaccine safe for people with egg allergy?",
            "Yes!",
            "Modern vaccines contain only tiny traces of egg protein.",
        ],
        [
            "Do not double the dose!",
            "Take the next one at the usual time.",
            "If you miss more than two doses, call the clinic.",
        ],
        [
            "Can children take it?",
            "Only from the age of 12.",
            "What about pregnancy?",
            "Ask your midwife first.",
        ],
        [
            "Why does the rash come back?",
            "Often it is the soap.",
            "Really?!",
            "Yes, fragrance is a common trigger.",
        ],
        [
            "“Will it hurt?” is the question most children ask first.",
            "Numbing cream helps.",
            "So does a calm parent.",
        ],
    ],
    "quotations": [
        [
            "The leaflet says ‘take with food.’",
            "Many people forget this.",
            "Nausea is then more likely.",
        ],
        [
            "Her surgeon told her, “Recovery takes six weeks.”",
            "She was back at work in four.",
        ],
        [
            "The label reads «Store below 25 °C.»",
            "A bathroom cabinet is too warm and damp.",
        ],
        [
            "Patients described the fatigue as “crushing”.",
            "It did not improve with sleep.",
            "Some called it ‘like walking through mud’.",
        ],
        [
            'The trial\'s motto was "first, do no harm."',
            "Its safety monitoring was unusually strict.",
        ],
        [
            "“We were surprised,” said the lead author.",
            "“The effect was larger than expected.”",
            "Others urged caution.",
        ],
        [
            "He asked, “Is this normal?”",
            "The nurse reassured him.",
            "Bruising after an injection is common.",
        ],
    ],
    "brackets and parentheses": [
        [
            "Take the tablets with food.",
            "(Milk or a small snack is enough.)",
            "Avoid alcohol during the course.",
        ],
        [
            "Side effects are usually mild (headache, nausea, tiredness).",
            "They often fade after the first week.",
        ],
        [
            "The scan uses a contrast dye.",
            "(You may feel warm for a minute. This is normal.)",
            "Drink plenty of water afterwards.",
        ],
        [
            "Children under 2 [see section 4.2] should not use the spray.",
            "Their nasal lining is more sensitive.",
        ],
        [
            "The study (which ran from 2012 to 2019) found no added benefit.",
            "The drug was not approved.",
        ],
        [
            "Ask about a referral (for example to a dietitian).",
            "Waiting times vary.",
        ],
    ],
    "ellipses": [
        [
            "Results were mixed...",
            "More trials are needed.",
            "Until then, the drug should be used only in studies.",
        ],
        [
            "The effect was … surprisingly small.",
            "Only two patients improved.",
        ],
        [
            "She tried diet, exercise, tablets… nothing helped.",
            "Insulin was started in May.",
        ],
        [
            "The results were promising…",
            "But the trial was small.",
        ],
        [
            "Patients wrote things like “it comes and goes... worse at night”.",
            "Doctors should ask about timing.",
        ],
    ],
    "urls and dois": [
        [
            "The full protocol is at https://example.org/a.b for anyone to read.",
            "It was registered before recruitment.",
        ],
        [
            "Download the diary from https://example.org/a.b.",
            "Fill it in every evening.",
        ],
        [
            "The trial report (doi:10.1056/NEJMoa1703327) gives the full results.",
            "Its appendix lists every adverse event.",
        ],
        [
            "The main paper is doi:10.1056/NEJMoa1703327.",
            "A correction was published later.",
        ],
        [
            "See www.nhs.uk for local services.",
            "Opening hours vary by region.",
        ],
        [
            "Further reading: https://doi.org/10.1136/bmj.m1234.",
            "The authors declare no conflicts of interest.",
        ],
        [
            "Guidance is published at nice.org.uk.",
            "It is updated every three years.",
        ],
    ],
    "citations": [
        [
            "Stem cells reduced scarring in mice with lung fibrosis [3].",
            "Human data are limited.",
        ],
        [
            "The effect has been replicated several times.[3]",
            "Its size varies between labs.",
        ],
        [
            "Two trials found a benefit [3, 4].",
            "A third did not [5].",
            "A pooled analysis is underway.",
        ],
        [
            "Earlier reviews reached the same conclusion [3–5].",
            "None included children.",
        ],
        [
            "Inflammation drives most of the damage.[3, 4]",
            "Reducing it is the aim of treatment.",
        ],
        [
            "This was first shown in 2004. [6]",
            "It has since been confirmed.",
        ],
        [
            "The risk is highest in the first month [7–9].",
            "After that it falls steadily [10].",
        ],
    ],
    "dashes": [
        [
            "Fibroblasts—the cells that make collagen—become overactive in fibrosis.",
            "Blocking them is one strategy.",
        ],
        [
            "The answer was clear — no benefit at any dose.",
            "The programme was stopped.",
        ],
        [
            "Two drugs – nintedanib and pirfenidone – slow the decline.",
            "Neither reverses it.",
        ],
        [
            "Some patients improve quickly—within days.",
            "Others take months.",
        ],
    ],
    "no-break and unicode spaces": [
        [
            f"Give 10{NBSP}mg by mouth.",
            f"Repeat after 4{NBSP}hours if needed.",
            f"Do not exceed 40{NBSP}mg in 24{NBSP}hours.",
        ],
        [
            f"Dr.{NBSP}Kowalski led the ward round.",
            f"Fig.{NBSP}4 shows the ward layout.",
            "Beds near the window were preferred.",
        ],
        [
            f"The dose was 5{NNBSP}mg.",
            f"Levels peaked at 2{NNBSP}h.",
            "The drug was cleared within a day.",
        ],
        [
            f"The difference was significant (p{NBSP}<{NBSP}0.01).",
            f"It held in a sensitivity analysis, e.g.{NBSP}after excluding dropouts.",
        ],
    ],
    "lower-case starts": [
        [
            "The first vaccines of this kind were approved in 2020.",
            "mRNA vaccines teach cells to make a harmless piece of the virus.",
            "The mRNA itself breaks down within days.",
        ],
        [
            "Induced pluripotent stem cells are adult cells reprogrammed in the lab.",
            "iPSCs are used to model diseases in a dish.",
            "They are not yet a routine treatment.",
        ],
        [
            "Kidney function is estimated from a blood test.",
            "eGFR below 60 for three months suggests chronic kidney disease.",
        ],
        [
            "The stomach is very acidic.",
            "pH values below 2 are normal there.",
        ],
        [
            "Mutations were found in 40% of tumours.",
            "p53 was the gene most often affected.",
        ],
        [
            "The rash lasted approx. two weeks in most children.",
            "A few had it for approx. three weeks.",
        ],
        [
            "Risk factors incl. smoking and obesity were recorded.",
            "Both were common.",
        ],
    ],
    "country abbreviations": [
        [
            "The drug is approved in the U.S. and the U.K. for adults.",
            "It is not yet licensed for children.",
        ],
        [
            "The U.S. Food and Drug Administration issued a safety alert in June.",
            "The European regulator followed.",
        ],
        [
            "Rates are higher in the U.K. than in most of Europe.",
            "Diet may explain part of the gap.",
        ],
        [
            "Screening is offered to everyone over 50 in the U.S.",
            "The age was lowered to 45 in 2021.",
            "Uptake remains low.",
        ],
    ],
    "dosing abbreviations": [
        [
            "Take 500 mg b.i.d. with meals.",
            "The dose may be raised to 1 g b.i.d. after a week.",
        ],
        [
            "The antibiotic is given i.v. for three days.",
            "It is then switched to p.o. if the fever has settled.",
        ],
        [
            "Take the first dose at 8 a.m. and the second at 8 p.m. every day.",
            "Keeping to the same times helps.",
        ],
        [
            "The clinic opens at 9 a.m.",
            "The phone line opens earlier.",
            "Call before 10 a.m. for a same-day appointment.",
        ],
    ],
    "unicode punctuation": [
        [
            "Levels ≥ 7.0% were counted as uncontrolled.",
            "Levels −2 SD below the mean were flagged.",
        ],
        [
            "Does it work‽",
            "The evidence says probably not.",
        ],
        [
            "Dose: 5 µg/kg.",
            "Maximum: 300 µg.",
        ],
        [
            "The temperature rose to 39.5 °C.",
            "Paracetamol brought it down.",
        ],
    ],
    "plain prose": [
        [
            "Asthma is a long-term condition that affects the airways.",
            "The airways become swollen and narrow, which makes breathing harder.",
            "Symptoms can be controlled well with the right inhaler.",
            "Most people with asthma lead normal, active lives.",
        ],
        [
            "High blood pressure rarely causes symptoms.",
            "That is why it is called a silent condition.",
            "The only way to know is to have it measured.",
            "Adults over 40 should have a check at least every five years.",
        ],
        [
            "This summary describes a randomised trial in adults with chronic cough.",
            "Participants took either the study drug or a dummy tablet for twelve weeks.",
            "Cough frequency was recorded with a small wearable microphone.",
            "The drug reduced coughing by about a third compared with the dummy tablet.",
            "Taste disturbance was the most common side effect.",
        ],
        [
            "Iron deficiency is the commonest cause of anaemia worldwide.",
            "It often results from blood loss, poor diet or pregnancy.",
            "Tiredness, pale skin and shortness of breath are typical.",
            "A blood test confirms it.",
        ],
        [
            "The reviewers searched five databases up to January 2023.",
            "They included 27 randomised trials with 4,318 participants.",
            "Most trials had a high risk of bias.",
            "The certainty of the evidence was rated low.",
        ],
        [
            "Shingles is caused by the same virus as chickenpox.",
            "After chickenpox, the virus stays dormant in nerve cells.",
            "It can reactivate decades later, often when immunity is weaker.",
            "A vaccine is offered to older adults to lower that risk.",
        ],
        [
            "Physiotherapy helps many people after a knee replacement.",
            "Early movement reduces stiffness and the risk of blood clots.",
            "Exercises should be done daily, even when they are uncomfortable.",
        ],
        [
            "Sleep apnoea causes pauses in breathing during sleep.",
            "Loud snoring and daytime sleepiness are common signs.",
            "Losing weight and avoiding alcohol in the evening can help.",
            "A machine that keeps the airway open is the main treatment.",
        ],
    ],
    # Written in two batches without running any splitter, after the rest of the set passed. The
    # first batch (15 paragraphs) missed "sect. 1.6" and "Sept. 2025", which led to the section and
    # month abbreviations; the second (the last 12) missed "q.i.d. Pain", which led to the rule
    # for lower-case dotted abbreviations.
    "mixed, written blind": [
        [
            "In the PARADIGM trial, 8,442 patients were randomised.",
            "The primary outcome occurred in 21.8% vs. 26.5% (HR 0.80; 95% CI 0.73–0.87; p < .001).",
            "Cough was more common with enalapril.",
        ],
        [
            "Dr. O'Neill, an endocrinologist at St. Vincent's Hospital, disagrees.",
            "“The absolute benefit is small,” she says.",
            "“Patients should know that.”",
        ],
        [
            "Doses above 2 g/day (approx. 4 tablets) offer no extra benefit [14].",
            "They do raise the risk of liver injury.[15]",
            "Check the label of every cold remedy you take.",
        ],
        [
            "Take it on an empty stomach, i.e. 30 min before breakfast.",
            "Wait at least 4 h before taking calcium or iron.",
            "Both reduce absorption by up to 50%.",
        ],
        [
            "The drug was developed by Novartis AG.",
            "It was approved by the EMA in 2015 and by the FDA in the U.S. in the same year.",
            "Generic versions appeared in 2023.",
        ],
        [
            "Who is eligible?",
            "Adults aged 18–75 with an eGFR ≥ 30 mL/min/1.73 m².",
            "People on dialysis were excluded.",
        ],
        [
            "See the NICE guideline NG28, sect. 1.6.",
            "It was last updated in 2022.",
        ],
        [
            "Jones et al. (Lancet 2019;393:1234–45) reported similar findings.",
            "So did a Danish registry study.",
        ],
        [
            "Children aged 6 mo.–5 yrs. need a smaller dose.",
            "Ask your pharmacist to check it.",
        ],
        [
            "The patient, a 54-y.o. man, presented with chest pain.",
            "ECG showed ST elevation in leads II, III and aVF.",
            "He was taken for primary PCI.",
        ],
        [
            "Symptoms (fever, cough, etc.) usually settle within a week.",
            "Seek help if they do not.",
        ],
        [
            "Several groups—incl. the WHO—recommend a single dose.",
            "Others advise two.",
        ],
        [
            "Prof. A. K. Mensah (Univ. of Ghana) chaired the panel.",
            "Its report is due in Sept. 2025.",
            "A draft is open for comment.",
        ],
        [
            "The median follow-up was 3.2 yr.",
            "Over that time 41 participants died.",
            "None of the deaths was judged related to the drug.",
        ],
        [
            "Treatment options include: (1) watchful waiting; (2) surgery; (3) radiotherapy.",
            "Each has trade-offs.",
        ],
        [
            "Lp(a) levels are mostly inherited.",
            "A single test in adulthood is enough for most people.",
            "Levels above 50 mg/dL (125 nmol/L) raise cardiovascular risk.",
        ],
        [
            "The U.K. Biobank data (n = 502,000) were used.",
            "Participants were aged 40–69 at baseline.",
        ],
        [
            "What does “remission” mean?",
            "It means no signs of disease on tests.",
            "It does not always mean cure.",
        ],
        [
            "Ibuprofen 400 mg t.i.d. was compared with paracetamol 1 g q.i.d.",
            "Pain scores were similar at 48 h.",
        ],
        [
            "Call 999 (or 112 in the EU) in an emergency.",
            "Do not drive yourself to hospital.",
        ],
        [
            "The authors (Chen, Ruiz and Abebe) declare no competing interests.",
            "Funding came from the Wellcome Trust (grant no. 2045/B).",
        ],
        [
            "Vitamin B12 deficiency is common in older adults.",
            "Metformin lowers B12 levels too.",
            "Check them every 2–3 years.",
        ],
        [
            "Is it hereditary?",
            "Partly: about 1 in 3 patients has an affected relative.",
            "Genes alone do not explain it.",
        ],
        [
            "The cohort included 312 women and 298 men (mean age 61.4 ± 9.8 y).",
            "Most were overweight.",
        ],
        [
            "Apply SPF 30+ sunscreen every 2 hrs.",
            "Reapply after swimming.",
        ],
        [
            "«Prevention is better than cure,» as the saying goes.",
            "Vaccination is a case in point.",
        ],
        [
            "Smoking roughly doubles the risk (RR ≈ 2.1).",
            "Quitting halves it within five years.",
        ],
    ],
}

HARD_CASES = [paragraph for paragraphs in CATEGORIES.values() for paragraph in paragraphs]
