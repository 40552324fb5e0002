"""Demo data: the development plan 2566–2570 of the cluster holding Chiang Mai
(กลุ่มจังหวัดภาคเหนือตอนบน 1: เชียงใหม่ ลำพูน ลำปาง แม่ฮ่องสอน).

Written for the demo in the style of a real cluster plan; it is not the official text.
Idempotent: items are found by code and only what is missing is added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType

from strategy import services
from strategy.models import AlignmentLink, AlignmentTarget, ObjectiveLink, Plan

TITLE_TH = "แผนพัฒนากลุ่มจังหวัดภาคเหนือตอนบน 1 (พ.ศ. 2566–2570)"
TITLE_EN = "Upper Northern Cluster 1 development plan (2023–2027)"
VISION_TH = "ศูนย์กลางการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนา เกษตรมูลค่าสูง บนฐานทรัพยากรธรรมชาติที่ยั่งยืน"
VISION_EN = (
    "A hub of creative and Lanna cultural tourism and high-value farming, "
    "on a sustainable natural-resource base"
)

ISSUES = [
    (
        "1",
        "ยกระดับการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนาสู่มาตรฐานสากล",
        "Raise creative and Lanna cultural tourism to international standards",
        ["NS2", "MP05", "MP05-1", "M02", "RN01", "GP03", "SDG08"],
    ),
    (
        "2",
        "พัฒนาการเกษตรมูลค่าสูงและอุตสาหกรรมเกษตรแปรรูปที่ปลอดภัย",
        "Develop high-value agriculture and safe agro-processing",
        ["NS2", "MP03", "MP03-2", "MP03-4", "M01", "RN02", "GP04", "SDG02"],
    ),
    (
        "3",
        "บริหารจัดการทรัพยากรธรรมชาติ สิ่งแวดล้อม และแก้ไขปัญหาหมอกควันอย่างยั่งยืน",
        "Manage natural resources and the environment and end the haze sustainably",
        ["NS5", "MP18", "MP18-2", "M10", "M11", "RN03", "GP07", "SDG13", "SDG15"],
    ),
]

E, S, F, D = "effectiveness", "service_quality", "efficiency", "org_development"
OBJECTIVES = [
    (
        "1.1",
        "1",
        E,
        "รายได้จากการท่องเที่ยวของกลุ่มจังหวัดเพิ่มขึ้นอย่างยั่งยืน",
        "Tourism income of the cluster grows sustainably",
        ["M02", "SDG08"],
    ),
    (
        "2.1",
        "2",
        E,
        "มูลค่าผลผลิตเกษตรและสินค้าเกษตรแปรรูปเพิ่มขึ้น",
        "Higher value of farm output and processed farm products",
        ["M01", "MP16"],
    ),
    (
        "3.1",
        "3",
        E,
        "คุณภาพอากาศดีขึ้นและจุดความร้อนลดลง",
        "Cleaner air and fewer fire hotspots",
        ["SDG03", "SDG11", "RN03"],
    ),
    (
        "1.2",
        "1",
        S,
        "นักท่องเที่ยวพึงพอใจต่อคุณภาพแหล่งท่องเที่ยวและบริการ",
        "Visitors satisfied with attractions and services",
        ["MP05-6"],
    ),
    (
        "2.2",
        "2",
        S,
        "สินค้าเกษตรได้มาตรฐานความปลอดภัยและเข้าถึงตลาดใหม่",
        "Farm products certified safe and reaching new markets",
        ["MP03-2", "SDG12"],
    ),
    (
        "3.2",
        "3",
        S,
        "ชุมชนมีส่วนร่วมเฝ้าระวังและป้องกันไฟป่า",
        "Communities take part in forest-fire watch and prevention",
        ["RN06", "SDG15"],
    ),
    (
        "1.3",
        "1",
        F,
        "เส้นทางท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนาเชื่อมโยงทั้ง 4 จังหวัด",
        "Creative and Lanna cultural routes link all four provinces",
        ["MP05-5", "GP05"],
    ),
    (
        "2.3",
        "2",
        F,
        "เกษตรกรใช้เทคโนโลยีและนวัตกรรมลดต้นทุนการผลิต",
        "Farmers use technology and innovation to cut production costs",
        ["MP03-5", "MP23"],
    ),
    (
        "3.3",
        "3",
        F,
        "การบริหารจัดการเชื้อเพลิงและพื้นที่เผาไหม้มีประสิทธิภาพ",
        "Efficient management of forest fuel and burn areas",
        ["MP18-2"],
    ),
    (
        "1.4",
        "1",
        D,
        "ผู้ประกอบการและบุคลากรด้านการท่องเที่ยวมีทักษะรองรับตลาดคุณภาพ",
        "Tourism entrepreneurs and staff skilled for quality markets",
        ["M12", "MP11"],
    ),
    (
        "2.4",
        "2",
        D,
        "กลุ่มเกษตรกรและวิสาหกิจชุมชนมีความเข้มแข็ง",
        "Strong farmer groups and community enterprises",
        ["MP16-1", "M07"],
    ),
    (
        "3.4",
        "3",
        D,
        "ข้อมูลสิ่งแวดล้อมและระบบเตือนภัยเชื่อมโยงกันทั้งกลุ่มจังหวัด",
        "Shared environmental data and early warning across the cluster",
        ["M13", "MP20-2"],
    ),
]

LINKS = [
    ("1.4", "1.3"), ("1.3", "1.2"), ("1.2", "1.1"),
    ("2.4", "2.3"), ("2.3", "2.2"), ("2.2", "2.1"),
    ("3.4", "3.3"), ("3.3", "3.1"), ("3.2", "3.1"), ("3.4", "3.2"),
    ("3.1", "1.1"), ("2.2", "1.2"),
]  # fmt: skip


# The two other demo clusters: shorter plans, enough for their scorecards and the national
# view. Written for the demo; not the clusters' official texts.
OTHER_PLANS: dict[str, dict[str, Any]] = {
    "kk": {
        "title_th": "แผนพัฒนากลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนกลาง (พ.ศ. 2566–2570)",
        "title_en": "Central Northeastern Cluster development plan (2023–2027)",
        "vision_th": "ศูนย์กลางเศรษฐกิจชีวภาพและการค้าการลงทุนของอนุภูมิภาคลุ่มน้ำโขง",
        "vision_en": "A hub of the bio-economy, trade and investment of the Mekong subregion",
        "issues": [
            ("1", "ยกระดับเศรษฐกิจชีวภาพและอุตสาหกรรมเกษตรแปรรูป", "Raise the bio-economy and agro-processing", ["NS2", "M01"]),
            ("2", "พัฒนาการท่องเที่ยวอารยธรรมอีสานและผ้าไหม", "Develop Isan heritage and silk tourism", ["NS2", "M02"]),
        ],
        "objectives": [
            ("1.1", "1", E, "มูลค่าผลผลิตอุตสาหกรรมชีวภาพเพิ่มขึ้น", "Higher output of bio-industries", ["M01"]),
            ("1.2", "1", S, "เกษตรกรเข้าสู่ระบบเกษตรปลอดภัยมากขึ้น", "More farmers in safe farming", []),
            ("1.3", "1", F, "ต้นทุนการผลิตอ้อยและมันสำปะหลังลดลง", "Lower cost of cane and cassava", []),
            ("2.1", "2", E, "รายได้จากการท่องเที่ยวเพิ่มขึ้น", "Higher tourism income", ["M02"]),
            ("2.2", "2", D, "ชุมชนผ้าไหมมีความเข้มแข็ง", "Strong silk-weaving communities", []),
        ],
        "links": [("1.3", "1.2"), ("1.2", "1.1"), ("2.2", "2.1")],
    },
    "east": {
        "title_th": "แผนพัฒนากลุ่มจังหวัดภาคตะวันออก 1 (พ.ศ. 2566–2570)",
        "title_en": "Eastern Cluster 1 development plan (2023–2027)",
        "vision_th": "ประตูเศรษฐกิจหลักของประเทศ อุตสาหกรรมสะอาด ท่องเที่ยวชายทะเลคุณภาพ",
        "vision_en": "The country's main economic gateway: clean industry and quality seaside tourism",
        "issues": [
            ("1", "พัฒนาอุตสาหกรรมเป้าหมายในพื้นที่ระเบียงเศรษฐกิจพิเศษภาคตะวันออก", "Develop target industries of the Eastern Economic Corridor", ["NS2"]),
            ("2", "ยกระดับการท่องเที่ยวชายทะเลและผลไม้คุณภาพ", "Raise seaside tourism and quality fruit", ["M02"]),
        ],
        "objectives": [
            ("1.1", "1", E, "มูลค่าการลงทุนในอุตสาหกรรมเป้าหมายเพิ่มขึ้น", "Higher investment in target industries", []),
            ("1.2", "1", D, "แรงงานมีทักษะตรงความต้องการของอุตสาหกรรม", "Workers skilled for industry", []),
            ("2.1", "2", E, "รายได้จากการท่องเที่ยวชายทะเลเพิ่มขึ้น", "Higher seaside tourism income", ["M02"]),
            ("2.2", "2", S, "ผลไม้ส่งออกได้มาตรฐาน GAP", "Export fruit certified GAP", []),
            ("2.3", "2", F, "คุณภาพน้ำทะเลชายฝั่งดีขึ้น", "Cleaner coastal water", []),
        ],
        "links": [("1.2", "1.1"), ("2.3", "2.1"), ("2.2", "2.1")],
    },
}  # fmt: skip


def _tag(element: Any, codes: list[str], targets: dict[str, AlignmentTarget]) -> None:
    content_type = ContentType.objects.get_for_model(element)
    for code in codes:
        if code in targets:
            AlignmentLink.objects.get_or_create(
                target=targets[code], content_type=content_type, object_id=element.pk
            )


def seed_demo_plan(context: Any) -> None:
    """The demo cluster's approved plan 2566–2570 with issues, objectives, links and tags."""
    cluster = context.cluster
    key = getattr(context, "key", "")
    if key:
        data = OTHER_PLANS[key]
    else:
        data = {
            "title_th": TITLE_TH,
            "title_en": TITLE_EN,
            "vision_th": VISION_TH,
            "vision_en": VISION_EN,
            "issues": ISSUES,
            "objectives": OBJECTIVES,
            "links": LINKS,
        }
    services.alignment_targets_load()
    perspectives = {p.key: p for p in services.perspectives_ensure(cluster=cluster)}
    plan = Plan.objects.filter(cluster=cluster, start_year=2566, end_year=2570).order_by(
        "version"
    ).first() or services.plan_create(
        cluster=cluster,
        title_th=data["title_th"],
        title_en=data["title_en"],
        start_year=2566,
        end_year=2570,
        vision_th=data["vision_th"],
        vision_en=data["vision_en"],
        by=context.users.get("osm_staff"),
    )
    if plan.issues.exists() and plan.status != Plan.Status.DRAFT:
        context.log.append(f"strategy: demo plan exists ({plan})")
        return
    targets = {t.code: t for t in AlignmentTarget.objects.all()}
    issues = {i.code: i for i in plan.issues.all()}
    for code, name_th, name_en, tags in data["issues"]:
        if code not in issues:
            issues[code] = services.issue_create(
                plan=plan, code=code, name_th=name_th, name_en=name_en
            )
        _tag(issues[code], tags, targets)
    objectives = {o.code: o for o in plan.objectives.all()}
    for code, issue_code, perspective, name_th, name_en, tags in data["objectives"]:
        if code not in objectives:
            objectives[code] = services.objective_create(
                issue=issues[issue_code],
                perspective=perspectives[perspective],
                code=code,
                name_th=name_th,
                name_en=name_en,
            )
        _tag(objectives[code], tags, targets)
    for cause, effect in data["links"]:
        if not ObjectiveLink.objects.filter(
            cause=objectives[cause], effect=objectives[effect]
        ).exists():
            services.link_create(cause=objectives[cause], effect=objectives[effect])
    if plan.status == Plan.Status.DRAFT:
        # Approved by the committee before the system existed: the date lies in the past.
        services.plan_approve(
            plan=plan,
            approved_on=dt.date(2022, 3, 15),
            resolution_text="ที่ประชุมมีมติเห็นชอบแผนพัฒนากลุ่มจังหวัด พ.ศ. 2566–2570",
            resolution_meeting="ครั้งที่ 1/2565 วันที่ 15 มีนาคม 2565",
        )
    context.log.append(
        f"strategy: demo plan {plan} with {len(issues)} issues, {len(objectives)} objectives"
    )
