"""Demo content for the evidence-graded CMS: conditions, sources, and articles with their claims."""

from textwrap import dedent

CONDITIONS = [
    {
        "name": "Interstitial lung disease",
        "slug": "interstitial-lung-disease",
        "icd10": "J84.9",
        "mesh_id": "D017563",
        "synonyms": ["ILD", "diffuse parenchymal lung disease", "pulmonary fibrosis"],
        "description": (
            "A group of more than 200 conditions that inflame or scar the tissue around the air sacs "
            "of the lungs. The scarring makes the lungs stiff and causes breathlessness."
        ),
    },
    {
        "name": "Idiopathic pulmonary fibrosis",
        "slug": "idiopathic-pulmonary-fibrosis",
        "icd10": "J84.1",
        "mesh_id": "D054990",
        "synonyms": ["IPF", "cryptogenic fibrosing alveolitis"],
        "description": (
            "A type of interstitial lung disease in which scar tissue slowly builds up in the lungs "
            "for no known reason. It mostly affects older adults."
        ),
    },
    {
        "name": "Systemic sclerosis",
        "slug": "systemic-sclerosis",
        "icd10": "M34",
        "mesh_id": "D012595",
        "synonyms": ["scleroderma", "SSc", "diffuse cutaneous systemic sclerosis"],
        "description": (
            "An autoimmune condition that causes hardening and thickening of the skin and can damage "
            "internal organs, especially the lungs, heart and kidneys."
        ),
    },
    {
        "name": "Multiple sclerosis",
        "slug": "multiple-sclerosis",
        "icd10": "G35",
        "mesh_id": "D009103",
        "synonyms": ["MS", "relapsing-remitting multiple sclerosis"],
        "description": (
            "A condition in which the immune system damages the protective coating of nerves in the "
            "brain and spinal cord, causing problems with vision, movement, sensation or balance."
        ),
    },
    {
        "name": "Severe combined immunodeficiency",
        "slug": "severe-combined-immunodeficiency",
        "icd10": "D81",
        "mesh_id": "D016511",
        "synonyms": ["SCID", "bubble boy disease"],
        "description": (
            "A group of rare inherited conditions in which a baby is born without a working immune "
            "system, so that ordinary infections can be life-threatening."
        ),
    },
    {
        "name": "Systemic lupus erythematosus",
        "slug": "systemic-lupus-erythematosus",
        "icd10": "M32",
        "mesh_id": "D008180",
        "synonyms": ["lupus", "SLE", "lupus nephritis"],
        "description": (
            "An autoimmune condition in which the immune system attacks healthy tissue, causing joint "
            "pain, rashes and tiredness, and sometimes kidney or other organ damage."
        ),
    },
    {
        "name": "Rheumatoid arthritis",
        "slug": "rheumatoid-arthritis",
        "icd10": "M06.9",
        "mesh_id": "D001172",
        "synonyms": ["RA", "inflammatory arthritis"],
        "description": (
            "An autoimmune condition in which the immune system attacks the lining of the joints, "
            "causing pain, swelling and stiffness, usually in the hands and feet."
        ),
    },
    {
        "name": "Crohn's disease",
        "slug": "crohns-disease",
        "icd10": "K50",
        "mesh_id": "D003424",
        "synonyms": ["Crohn disease", "inflammatory bowel disease", "IBD"],
        "description": (
            "A long-term condition in which parts of the digestive system become inflamed, causing "
            "diarrhoea, tummy pain, tiredness and weight loss."
        ),
    },
]

SOURCES = [
    {
        "key": "scot",
        "kind": "doi",
        "identifier": "10.1056/nejmoa1703327",
        "title": "Myeloablative autologous stem-cell transplantation for severe scleroderma (SCOT trial)",
        "year": 2018,
    },
    {
        "key": "scot-registration",
        "kind": "nct",
        "identifier": "NCT00114530",
        "title": "Scleroderma: Cyclophosphamide or Transplantation (SCOT), trial registration",
        "year": 2005,
    },
    {
        "key": "astis",
        "kind": "doi",
        "identifier": "10.1001/jama.2014.6368",
        "title": (
            "Autologous hematopoietic stem cell transplantation vs intravenous pulse cyclophosphamide "
            "in diffuse cutaneous systemic sclerosis: a randomized clinical trial (ASTIS)"
        ),
        "year": 2014,
    },
    {
        "key": "mist",
        "kind": "doi",
        "identifier": "10.1001/jama.2018.18743",
        "title": (
            "Effect of nonmyeloablative hematopoietic stem cell transplantation vs continued "
            "disease-modifying therapy on disease progression in patients with relapsing-remitting "
            "multiple sclerosis: a randomized clinical trial (MIST)"
        ),
        "year": 2019,
    },
    {
        "key": "inpulsis",
        "kind": "doi",
        "identifier": "10.1056/nejmoa1402584",
        "title": "Efficacy and safety of nintedanib in idiopathic pulmonary fibrosis (INPULSIS trials)",
        "year": 2014,
    },
    {
        "key": "ascend",
        "kind": "pmid",
        "identifier": "24836312",
        "title": "A phase 3 trial of pirfenidone in patients with idiopathic pulmonary fibrosis (ASCEND)",
        "year": 2014,
    },
    {
        "key": "senscis",
        "kind": "doi",
        "identifier": "10.1056/nejmoa1903076",
        "title": "Nintedanib for systemic sclerosis-associated interstitial lung disease (SENSCIS)",
        "year": 2019,
    },
    {
        "key": "aether",
        "kind": "doi",
        "identifier": "10.1016/j.chest.2016.10.061",
        "title": (
            "Allogeneic human mesenchymal stem cells in patients with idiopathic pulmonary fibrosis "
            "via intravenous delivery (AETHER): a phase I safety clinical trial"
        ),
        "year": 2017,
    },
    {
        "key": "aether-registration",
        "kind": "nct",
        "identifier": "NCT02013700",
        "title": "AETHER: mesenchymal stem cells in idiopathic pulmonary fibrosis, trial registration",
        "year": None,
    },
    {
        "key": "pai-scid",
        "kind": "doi",
        "identifier": "10.1056/nejmoa1401177",
        "title": "Transplantation outcomes for severe combined immunodeficiency, 2000-2009",
        "year": 2014,
    },
    {
        "key": "deng-lupus",
        "kind": "pmid",
        "identifier": "28478399",
        "title": (
            "A randomised double-blind, placebo-controlled trial of allogeneic umbilical cord-derived "
            "mesenchymal stem cell for lupus nephritis"
        ),
        "year": 2017,
    },
    {
        "key": "astic",
        "kind": "url",
        "identifier": "https://jamanetwork.com/journals/jama/fullarticle/2475462",
        "title": (
            "Autologous hematopoetic stem cell transplantation for refractory Crohn disease: "
            "a randomized clinical trial (ASTIC)"
        ),
        "year": 2015,
    },
    {
        "key": "fda-regenerative",
        "kind": "url",
        "identifier": (
            "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
            "important-patient-and-consumer-information-about-regenerative-medicine-therapies"
        ),
        "title": "Important patient and consumer information about regenerative medicine therapies (US FDA)",
        "year": None,
    },
    {
        "key": "nice-ipf",
        "kind": "url",
        "identifier": "https://www.nice.org.uk/guidance/cg163",
        "title": "Idiopathic pulmonary fibrosis in adults: diagnosis and management (NICE guideline CG163)",
        "year": None,
    },
    {
        "key": "nhs-ipf",
        "kind": "url",
        "identifier": "https://www.nhs.uk/conditions/idiopathic-pulmonary-fibrosis/",
        "title": "Idiopathic pulmonary fibrosis (NHS)",
        "year": None,
    },
    {
        "key": "isscr-patients",
        "kind": "url",
        "identifier": "https://www.closerlookatstemcells.org/",
        "title": "A Closer Look at Stem Cells: patient resources from the International Society for Stem Cell Research",
        "year": None,
    },
]

ARTICLES = [
    {
        "title": "Stem-cell therapy for interstitial lung disease: what the evidence shows",
        "slug": "stem-cell-therapy-interstitial-lung-disease",
        "standfirst": (
            "Private clinics advertise stem-cell infusions for lung scarring. Here is what research "
            "has and has not shown, and which treatments are known to help."
        ),
        "tags": ["interstitial lung disease", "pulmonary fibrosis", "stem cells"],
        "status": "published",
        "medically_reviewed": True,
        "body": dedent(
            """\
            ## What is interstitial lung disease?

            Interstitial lung disease (ILD) is an umbrella term for more than 200 conditions that inflame or scar the tissue around the tiny air sacs in the lungs. Idiopathic pulmonary fibrosis (IPF) is one of the most common types, and the word idiopathic means that no cause can be found. ILD can also develop in people with autoimmune conditions such as systemic sclerosis. As scar tissue builds up, the lungs become stiffer and less able to pass oxygen into the blood, which causes breathlessness and a persistent dry cough.

            ## Treatments with good evidence

            Before looking at stem cells, it helps to know what is already known to work.

            - Two antifibrotic medicines, nintedanib and pirfenidone, slow the loss of lung function in people with IPF.
            - Nintedanib probably also slows lung function decline when interstitial lung disease is linked to systemic sclerosis.
            - Pulmonary rehabilitation, a structured programme of exercise and breathing training, probably improves breathlessness and day-to-day stamina.
            - Oxygen therapy and, for some people with advanced disease, a lung transplant may also be options.

            Neither antifibrotic medicine repairs scarring that has already formed, and each has side effects, such as diarrhoea with nintedanib and skin sensitivity to sunlight with pirfenidone.

            ## What stem-cell research has found so far

            Most research in this area uses mesenchymal stromal cells, often called mesenchymal stem cells or MSCs, which can be grown from bone marrow, fat or umbilical cord tissue. In animal models of lung injury, these cells can dampen inflammation and reduce some markers of scarring. Researchers think the cells work mainly through the signals they release, not by turning into new lung tissue.

            Early trials in people with IPF have mostly asked whether a single infusion is safe. In one such trial, nine people received donor cells into a vein and no serious treatment-related side effects were reported. These studies were small, and most had no comparison group, so they cannot show whether the cells help. We do not know whether stem-cell infusions change how quickly IPF progresses.

            Researchers are also growing lung cells from reprogrammed stem cells in the laboratory, in the hope that they might one day repair damaged air sacs.

            ## Claims to treat with caution

            Some private clinics describe stem cells as a way to regrow healthy lung tissue. The idea that stem cells can reverse lung scarring that has already formed is not supported by any published trial. In the United States, the Food and Drug Administration has not approved any regenerative medicine product for lung disease, and it has received reports of infections, blindness and tumours after treatment with unapproved products. Treatments like these are often expensive and may involve travelling abroad.

            If you are considering a stem-cell treatment, it is worth asking:

            - Is this part of a registered clinical trial with independent ethics approval?
            - What type of cells are used, where do they come from and how are they prepared?
            - What published results support its use for my exact diagnosis?
            - Will I have to pay, and will my own lung specialist be kept informed?

            Joining a properly run trial is *very different* from paying for an unproven treatment. The FDA's [advice on regenerative medicine therapies](https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/important-patient-and-consumer-information-about-regenerative-medicine-therapies) and the [NICE guideline on idiopathic pulmonary fibrosis](https://www.nice.org.uk/guidance/cg163) are good places to start.
            """
        ),
        "claims": [
            {
                "quote": (
                    "As scar tissue builds up, the lungs become stiffer and less able to pass oxygen into "
                    "the blood, which causes breathlessness and a persistent dry cough."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "strong",
                "state": "approved",
                "sources": ["nhs-ipf"],
                "explanation": (
                    "How lung scarring causes breathlessness and cough is well understood and described "
                    "consistently in clinical guidance."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Two antifibrotic medicines, nintedanib and pirfenidone, slow the loss of lung "
                    "function in people with IPF."
                ),
                "condition": "idiopathic-pulmonary-fibrosis",
                "evidence": "strong",
                "state": "approved",
                "sources": ["inpulsis", "ascend", "nice-ipf"],
                "explanation": (
                    "Several large placebo-controlled trials found that both medicines slow the decline in "
                    "lung function over a year, and national guidelines recommend them."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Nintedanib probably also slows lung function decline when interstitial lung disease "
                    "is linked to systemic sclerosis."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["senscis"],
                "explanation": (
                    "One large placebo-controlled trial showed slower loss of lung function, but the "
                    "difference was modest and has not yet been confirmed by a second trial."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Nintedanib probably also slows lung function decline when interstitial lung disease "
                    "is linked to systemic sclerosis."
                ),
                "condition": "systemic-sclerosis",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["senscis"],
                "explanation": (
                    "For people with systemic sclerosis, this evidence covers lung involvement only; the "
                    "trial found no clear effect on skin thickening."
                ),
                "reviewer_note": "Second claim on the same sentence, graded for the underlying condition.",
            },
            {
                "quote": (
                    "Pulmonary rehabilitation, a structured programme of exercise and breathing training, "
                    "probably improves breathlessness and day-to-day stamina."
                ),
                "condition": "idiopathic-pulmonary-fibrosis",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["nice-ipf"],
                "explanation": (
                    "Trials show benefits for breathlessness and walking distance, but they are small and "
                    "the benefits may fade once the programme ends."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Neither antifibrotic medicine repairs scarring that has already formed, and each has "
                    "side effects, such as diarrhoea with nintedanib and skin sensitivity to sunlight with "
                    "pirfenidone."
                ),
                "condition": "idiopathic-pulmonary-fibrosis",
                "evidence": "strong",
                "state": "approved",
                "sources": ["inpulsis", "ascend"],
                "explanation": (
                    "In the main trials lung function still declined on treatment, only more slowly, and "
                    "these side effects were among the most common reported."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In animal models of lung injury, these cells can dampen inflammation and reduce some "
                    "markers of scarring."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "early-research",
                "state": "pending",
                "sources": [],
                "explanation": (
                    "These findings come from laboratory animals, whose lung injury differs from human "
                    "disease, so they cannot tell us whether the cells help people."
                ),
                "reviewer_note": "Needs a systematic review of preclinical studies as a source before approval.",
            },
            {
                "quote": (
                    "In one such trial, nine people received donor cells into a vein and no serious "
                    "treatment-related side effects were reported."
                ),
                "condition": "idiopathic-pulmonary-fibrosis",
                "evidence": "limited",
                "state": "approved",
                "override_reason": "It reports what one small trial observed; the grade and its explanation tell readers how little that shows.",
                "sources": ["aether", "aether-registration"],
                "explanation": (
                    "A safety study of nine people can only pick up common, short-term problems; rarer or "
                    "later harms would not show up."
                ),
                "reviewer_note": "",
            },
            {
                "quote": "We do not know whether stem-cell infusions change how quickly IPF progresses.",
                "condition": "idiopathic-pulmonary-fibrosis",
                "evidence": "very-uncertain",
                "state": "approved",
                "sources": ["aether"],
                "explanation": (
                    "Only very small trials have compared stem-cell infusions with placebo in IPF, so any "
                    "effect on how quickly the disease progresses is unknown."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Researchers are also growing lung cells from reprogrammed stem cells in the "
                    "laboratory, in the hope that they might one day repair damaged air sacs."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "not-yet-rated",
                "state": "pending",
                "sources": [],
                "explanation": "",
                "reviewer_note": "New sentence added in the last edit; grade once a source is attached.",
            },
            {
                "quote": "stem cells can reverse lung scarring that has already formed",
                "condition": "interstitial-lung-disease",
                "evidence": "not-supported",
                "state": "approved",
                "sources": ["fda-regenerative", "isscr-patients"],
                "explanation": (
                    "No published trial has shown stem cells removing existing lung scarring, and the US "
                    "regulator has not approved any stem-cell product for lung disease."
                ),
                "reviewer_note": "",
            },
        ],
    },
    {
        "title": "Stem cells and immune system disorders: where transplants help and where they do not",
        "slug": "stem-cells-immune-system-disorders",
        "standfirst": (
            "A blood stem-cell transplant can rebuild a missing or faulty immune system. That is well "
            "established for some inherited conditions, but it is not a general fix for immune problems."
        ),
        "tags": ["immune system", "stem cells", "transplants"],
        "status": "published",
        "medically_reviewed": True,
        "body": dedent(
            """\
            ## Two different kinds of stem cell

            When people talk about stem-cell treatment for immune conditions, they usually mean one of two quite different things.

            - **Blood-forming (haematopoietic) stem cells** live in the bone marrow and make every type of blood cell, including the white cells of the immune system.
            - **Mesenchymal stromal cells (MSCs)** are found in bone marrow, fat and umbilical cord tissue. They do not make blood cells, and they are being studied for their effects on inflammation.

            Only the first type has an established place in routine care for immune disorders.

            ## Where a transplant is standard care

            Severe combined immunodeficiency (SCID) is a rare inherited condition in which babies are born without working T cells, so ordinary infections can become life-threatening. A transplant of blood stem cells from a healthy donor is the standard treatment for SCID and can give a child a lasting, working immune system. Children probably do best when the transplant happens in the first few months of life, before serious infections take hold, which is one reason some countries now screen newborns for SCID. For a few genetic types of SCID, gene therapy that corrects the child's own blood stem cells is available in specialist centres.

            ## Resetting the immune system in autoimmune disease

            In autoimmune disease, the immune system attacks the body's own tissues. In an autologous transplant, doctors collect a person's own blood stem cells, use strong chemotherapy to remove much of the existing immune system, and then return the stored cells so that a new immune system can develop. The evidence differs from one condition to another:

            - In severe, rapidly progressing systemic sclerosis, randomised trials found that transplant improved long-term survival without major organ failure compared with the drug cyclophosphamide.
            - In relapsing multiple sclerosis that keeps flaring despite treatment, one randomised trial found that transplant probably delays worsening disability more than switching to a different disease-modifying medicine.
            - In severe Crohn's disease, a randomised trial did not meet its main goal and serious side effects were common, so we do not know whether the benefits outweigh the risks.

            These transplants carry real risks, including serious infections, infertility and, for some people, death from the treatment itself. They are offered only in specialist centres, to people whose disease is severe enough to justify those risks.

            ## What about mesenchymal cells?

            In laboratory studies, MSCs release signals that can calm overactive immune cells, which is why they are being tested in autoimmune disease. Results in people have been mixed, and few trials have had a comparison group. In a small placebo-controlled trial in lupus kidney disease, adding umbilical cord MSCs to standard treatment made no clear difference. Some clinics claim that MSC infusions can cure lupus, rheumatoid arthritis or Crohn's disease, but no trial has shown this.

            ## Before you consider treatment

            - Ask whether the treatment is standard care for your condition or part of a registered trial.
            - Ask how many transplants the centre performs each year and whether it reports its results to a national or international registry.
            - Make sure your own specialist is involved in the decision.

            The NHS has a clear [guide to stem cell transplants](https://www.nhs.uk/conditions/stem-cell-transplant/) that explains what the procedure involves and how long recovery takes.
            """
        ),
        "claims": [
            {
                "quote": (
                    "A transplant of blood stem cells from a healthy donor is the standard treatment for "
                    "SCID and can give a child a lasting, working immune system."
                ),
                "condition": "severe-combined-immunodeficiency",
                "evidence": "strong",
                "state": "approved",
                "sources": ["pai-scid"],
                "explanation": (
                    "Decades of experience and large multi-centre studies show that most children survive "
                    "and develop working immunity after a transplant, while untreated SCID is usually fatal."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Children probably do best when the transplant happens in the first few months of "
                    "life, before serious infections take hold, which is one reason some countries now "
                    "screen newborns for SCID."
                ),
                "condition": "severe-combined-immunodeficiency",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["pai-scid"],
                "explanation": (
                    "Large registry studies consistently show better survival with early, infection-free "
                    "transplants, but these are observational studies rather than randomised trials."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "For a few genetic types of SCID, gene therapy that corrects the child's own blood "
                    "stem cells is available in specialist centres."
                ),
                "condition": "severe-combined-immunodeficiency",
                "evidence": "limited",
                "state": "pending",
                "sources": [],
                "explanation": (
                    "Gene therapy has worked well in small numbers of children with particular types of "
                    "SCID, but long-term results are still being collected."
                ),
                "reviewer_note": "Add a source on gene therapy outcomes; check 'available' against what is licensed in the UK.",
            },
            {
                "quote": (
                    "In severe, rapidly progressing systemic sclerosis, randomised trials found that "
                    "transplant improved long-term survival without major organ failure compared with the "
                    "drug cyclophosphamide."
                ),
                "condition": "systemic-sclerosis",
                "evidence": "strong",
                "state": "approved",
                "sources": ["astis", "scot", "scot-registration"],
                "explanation": (
                    "Two randomised trials with long follow-up reached the same conclusion for carefully "
                    "selected people with severe disease."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In relapsing multiple sclerosis that keeps flaring despite treatment, one randomised "
                    "trial found that transplant probably delays worsening disability more than switching "
                    "to a different disease-modifying medicine."
                ),
                "condition": "multiple-sclerosis",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["mist"],
                "explanation": (
                    "The effect in the one randomised trial was large, but participants knew which "
                    "treatment they had and the comparison did not include all of today's most effective "
                    "medicines."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In severe Crohn's disease, a randomised trial did not meet its main goal and serious "
                    "side effects were common, so we do not know whether the benefits outweigh the risks."
                ),
                "condition": "crohns-disease",
                "evidence": "very-uncertain",
                "state": "approved",
                "sources": ["astic"],
                "explanation": (
                    "The only randomised trial was small, found no clear difference in its main outcome "
                    "and recorded many serious side effects."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "These transplants carry real risks, including serious infections, infertility and, "
                    "for some people, death from the treatment itself."
                ),
                "condition": "systemic-sclerosis",
                "evidence": "strong",
                "state": "approved",
                "sources": ["astis", "scot"],
                "explanation": (
                    "Deaths and serious complications caused by the treatment were recorded in the "
                    "randomised trials, mostly in the first year after transplant."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In laboratory studies, MSCs release signals that can calm overactive immune cells, "
                    "which is why they are being tested in autoimmune disease."
                ),
                "condition": "systemic-lupus-erythematosus",
                "evidence": "early-research",
                "state": "pending",
                "sources": [],
                "explanation": (
                    "This comes from cells studied in the laboratory, which does not show whether the "
                    "same happens inside the body or helps people with lupus."
                ),
                "reviewer_note": "Attach a review of the laboratory evidence before approval.",
            },
            {
                "quote": (
                    "In a small placebo-controlled trial in lupus kidney disease, adding umbilical cord "
                    "MSCs to standard treatment made no clear difference."
                ),
                "condition": "systemic-lupus-erythematosus",
                "evidence": "limited",
                "state": "approved",
                "sources": ["deng-lupus"],
                "explanation": (
                    "The trial was stopped early after 18 people, so it cannot rule out a small benefit or "
                    "harm, but it gives no support to routine use."
                ),
                "reviewer_note": "",
            },
            {
                "quote": "MSC infusions can cure lupus, rheumatoid arthritis or Crohn's disease",
                "condition": "systemic-lupus-erythematosus",
                "evidence": "not-supported",
                "state": "approved",
                "sources": ["deng-lupus", "fda-regenerative"],
                "explanation": (
                    "No trial has shown that these cells cure lupus, and the one placebo-controlled trial "
                    "found no added benefit."
                ),
                "reviewer_note": "",
            },
            {
                "quote": "MSC infusions can cure lupus, rheumatoid arthritis or Crohn's disease",
                "condition": "rheumatoid-arthritis",
                "evidence": "not-supported",
                "state": "pending",
                "sources": ["fda-regenerative"],
                "explanation": ("There are no controlled trials showing that these cells cure rheumatoid arthritis."),
                "reviewer_note": "Consider adding a systematic review of MSC trials in rheumatoid arthritis.",
            },
        ],
    },
    {
        "title": "Stem cells for autoimmune disease: separating evidence from marketing",
        "slug": "stem-cells-autoimmune-disease",
        "standfirst": (
            "Rheumatoid arthritis, lupus and multiple sclerosis are common targets of stem-cell "
            "advertising. Here is how the claims compare with the research, condition by condition."
        ),
        "tags": ["autoimmune disease", "stem cells", "clinical trials"],
        "status": "published",
        "medically_reviewed": False,
        "body": dedent(
            """\
            ## Why autoimmune disease attracts stem-cell marketing

            Autoimmune conditions such as rheumatoid arthritis, lupus and multiple sclerosis are long-term, and many people live with pain, tiredness and flares despite treatment. The promise of a one-off treatment that resets the immune system is understandably appealing. Clinic advertising often blurs two separate approaches: intensive transplants of blood-forming stem cells, which have been tested in trials for a few severe conditions, and infusions of mesenchymal cells, which remain experimental.

            ## What the trials show, condition by condition

            **Systemic sclerosis (scleroderma).** For a small group of people with severe, early and rapidly worsening disease, an autologous haematopoietic stem-cell transplant improves long-term outcomes, at the cost of a real risk of dying from the treatment. In both large trials, lung function tended to be better after transplant than after cyclophosphamide, which matters because lung involvement is a leading cause of death in systemic sclerosis.

            **Multiple sclerosis.** Transplant probably helps some people with very active relapsing MS who have not responded to other medicines. We do not know how well it works in progressive MS, where the evidence comes mainly from small studies without a comparison group. Some private clinics sell infusions of fat-derived or cord-derived cells for MS, but the claim that these cells slow or reverse MS is not backed by any controlled trial.

            **Lupus.** In lupus, mesenchymal cell infusions calm the overactive immune system and can lead to lasting remission, according to reports from several centres. However, a small placebo-controlled trial in lupus kidney disease found no added benefit over standard treatment. A newer approach that re-engineers a person's own immune cells, called CAR-T cell therapy, is being tested in small numbers of people with severe lupus.

            **Rheumatoid arthritis.** Modern medicines control rheumatoid arthritis well for many people, so transplants are now rarely considered. Stem-cell infusions reduce joint pain and swelling in rheumatoid arthritis, and early studies report good safety. Most of these studies were small and had no comparison group.

            **Crohn's disease.** Transplant has been tried for severe Crohn's disease that has not responded to any medicine, but the only randomised trial did not show a clear benefit and reported serious side effects.

            ## How mesenchymal cells might work

            Laboratory and animal studies suggest that mesenchymal cells act mainly by releasing signalling molecules, rather than by turning into new cartilage, nerve or gut tissue. This matters because clinics often say the cells will replace damaged tissue, which has not been shown in people.

            ## Warning signs

            - The same cells are offered for many unrelated conditions.
            - You are asked to pay to take part in what is described as a trial.
            - The evidence offered is mainly patient stories rather than published, peer-reviewed studies.
            - You are encouraged to stop your prescribed medicines.

            If something is unclear, talk to your specialist before making any decision. The ISSCR's [guide for patients](https://www.closerlookatstemcells.org/) explains how to assess a stem-cell clinic and what to ask.
            """
        ),
        "claims": [
            {
                "quote": (
                    "For a small group of people with severe, early and rapidly worsening disease, an "
                    "autologous haematopoietic stem-cell transplant improves long-term outcomes, at the "
                    "cost of a real risk of dying from the treatment."
                ),
                "condition": "systemic-sclerosis",
                "evidence": "strong",
                "state": "approved",
                "sources": ["astis", "scot"],
                "explanation": (
                    "Randomised trials with up to ten years of follow-up agree on both the long-term "
                    "benefit and the early risk of treatment-related death."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In both large trials, lung function tended to be better after transplant than after "
                    "cyclophosphamide, which matters because lung involvement is a leading cause of death "
                    "in systemic sclerosis."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["scot", "astis"],
                "explanation": (
                    "Lung function was a secondary measure in these trials, so the finding is probably "
                    "right but less certain than the main results."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Transplant probably helps some people with very active relapsing MS who have not "
                    "responded to other medicines."
                ),
                "condition": "multiple-sclerosis",
                "evidence": "moderate",
                "state": "approved",
                "sources": ["mist"],
                "explanation": (
                    "One randomised trial found a large benefit, but it was open-label and needs "
                    "confirming against the newest medicines."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "We do not know how well it works in progressive MS, where the evidence comes mainly "
                    "from small studies without a comparison group."
                ),
                "condition": "multiple-sclerosis",
                "evidence": "very-uncertain",
                "state": "approved",
                "sources": ["mist"],
                "explanation": (
                    "The randomised trial included only people with relapsing MS, so its results do not "
                    "apply to progressive forms."
                ),
                "reviewer_note": "",
            },
            {
                "quote": "these cells slow or reverse MS",
                "condition": "multiple-sclerosis",
                "evidence": "not-supported",
                "state": "approved",
                "sources": ["fda-regenerative"],
                "explanation": (
                    "No controlled trial has shown that fat-derived or cord-derived cell infusions slow or "
                    "reverse MS, and none is approved for it."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "In lupus, mesenchymal cell infusions calm the overactive immune system and can lead "
                    "to lasting remission, according to reports from several centres."
                ),
                "condition": "systemic-lupus-erythematosus",
                "evidence": "very-uncertain",
                "state": "changes_requested",
                "review_comment": "The sentence says the infusions calm the immune system and lead to lasting remission, but the evidence is very uncertain. Reword it to say we do not know, and cite the controlled trial.",
                "sources": ["deng-lupus"],
                "explanation": (
                    "The encouraging reports come from studies without a comparison group, and the one "
                    "placebo-controlled trial found no added benefit."
                ),
                "reviewer_note": (
                    "Wording is too strong for the grade: states benefit as fact. Suggest 'We do not know "
                    "whether mesenchymal cell infusions help people with lupus.'"
                ),
            },
            {
                "quote": (
                    "However, a small placebo-controlled trial in lupus kidney disease found no added "
                    "benefit over standard treatment."
                ),
                "condition": "systemic-lupus-erythematosus",
                "evidence": "limited",
                "state": "approved",
                "sources": ["deng-lupus"],
                "explanation": (
                    "The trial was small and stopped early, so it may have missed a modest effect, but it "
                    "did not find one."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "A newer approach that re-engineers a person's own immune cells, called CAR-T cell "
                    "therapy, is being tested in small numbers of people with severe lupus."
                ),
                "condition": "systemic-lupus-erythematosus",
                "evidence": "not-yet-rated",
                "state": "pending",
                "sources": [],
                "explanation": "",
                "reviewer_note": "Not a stem-cell treatment; check whether this sentence belongs in the article.",
            },
            {
                "quote": (
                    "Stem-cell infusions reduce joint pain and swelling in rheumatoid arthritis, and early "
                    "studies report good safety."
                ),
                "condition": "rheumatoid-arthritis",
                "evidence": "very-uncertain",
                "state": "rejected",
                "review_comment": "No controlled trial supports this in rheumatoid arthritis, and the wording states it as fact. Remove the sentence or say there is no evidence.",
                "sources": [],
                "explanation": (
                    "The studies so far are small and mostly uncontrolled, so we do not know whether the "
                    "infusions reduce symptoms."
                ),
                "reviewer_note": (
                    "Over-strong: 'reduce' presents an unproven benefit as fact. Reword to match the grade "
                    "and add a source."
                ),
            },
            {
                "quote": (
                    "Transplant has been tried for severe Crohn's disease that has not responded to any "
                    "medicine, but the only randomised trial did not show a clear benefit and reported "
                    "serious side effects."
                ),
                "condition": "crohns-disease",
                "evidence": "limited",
                "state": "approved",
                "sources": ["astic"],
                "explanation": (
                    "Some people in the trial improved, but it was small and missed its main goal, so the "
                    "evidence that transplant may help is limited."
                ),
                "reviewer_note": "",
            },
            {
                "quote": (
                    "Laboratory and animal studies suggest that mesenchymal cells act mainly by releasing "
                    "signalling molecules, rather than by turning into new cartilage, nerve or gut tissue."
                ),
                "condition": "rheumatoid-arthritis",
                "evidence": "early-research",
                "state": "approved",
                "sources": ["isscr-patients"],
                "explanation": (
                    "This is based on laboratory and animal work and explains how the cells might act; "
                    "it does not show that they help people."
                ),
                "reviewer_note": "",
            },
        ],
    },
    {
        "title": "Questions to ask before paying for a stem-cell treatment",
        "slug": "questions-before-paying-for-stem-cell-treatment",
        "standfirst": (
            "A short checklist for anyone who has been offered a stem-cell treatment outside routine care "
            "or a registered clinical trial."
        ),
        "tags": ["stem cells", "patient safety"],
        "status": "draft",
        "medically_reviewed": False,
        "body": dedent(
            """\
            Private clinics in many countries sell stem-cell treatments directly to patients. Some are linked to genuine research, but many are not. Before you pay, ask the clinic, and your own doctor, the questions below.

            ## Questions to ask

            - Is this treatment approved by a regulator for my condition, or is it part of a registered clinical trial?
            - What is the trial registration number, and can I look it up on a public register?
            - What type of cells will be used, and how are they collected and prepared?
            - What are the risks, and who will look after me if something goes wrong after I return home?
            - How much will it cost in total, including travel and follow-up care?

            ## Why this matters

            In the United States, the FDA has not approved any regenerative medicine product to treat multiple sclerosis or lung diseases such as pulmonary fibrosis. Genuine clinical trials rarely ask participants to pay for the treatment being tested. A registration number on its own does not prove that a study is well designed or independently overseen.
            """
        ),
        "claims": [
            {
                "quote": (
                    "In the United States, the FDA has not approved any regenerative medicine product to "
                    "treat multiple sclerosis or lung diseases such as pulmonary fibrosis."
                ),
                "condition": "multiple-sclerosis",
                "evidence": "strong",
                "state": "draft",
                "sources": ["fda-regenerative"],
                "explanation": "The FDA's consumer guidance lists multiple sclerosis among conditions with no approved product.",
                "reviewer_note": "Check the FDA page is current before publishing.",
            },
            {
                "quote": (
                    "In the United States, the FDA has not approved any regenerative medicine product to "
                    "treat multiple sclerosis or lung diseases such as pulmonary fibrosis."
                ),
                "condition": "interstitial-lung-disease",
                "evidence": "strong",
                "state": "draft",
                "sources": ["fda-regenerative"],
                "explanation": "The FDA's consumer guidance states that no such product is approved for lung diseases.",
                "reviewer_note": "",
            },
        ],
    },
]
