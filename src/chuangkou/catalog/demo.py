"""The catalog part of the demo data: the matters (事项) of the 下城区 center's departments, with
their materials, and the "一件事" bundles whose matters share materials.

Every row is written out below (no randomness), so each load gives the same catalog. Matters
are coded `330103-<department code>-<nnn>`. A department the org demo did not create is skipped,
with its matters and the bundles that need them. Rows are bulk-inserted (system data, not user
actions) and the load is summarised in one audit entry.
"""

from dataclasses import dataclass, field

from chuangkou.core import audit
from chuangkou.demo import DEMO_REGION_CODE
from chuangkou.org.models import Department

from .models import Bundle, BundleItem, Material, Matter
from .text import index_tokens

REQ, COND = Material.Requirement.REQUIRED, Material.Requirement.CONDITIONAL
ORIG, COPY, BOTH, ELEC = (
    Material.Form.ORIGINAL,
    Material.Form.COPY,
    Material.Form.BOTH,
    Material.Form.ELECTRONIC,
)
K = Matter.Kind


@dataclass(frozen=True)
class M:
    """A material: name, requirement, form, copies, condition."""

    name: str
    requirement: str = REQ
    form: str = ORIG
    copies: int = 1
    condition: str = ""


# Materials asked by several matters carry the same name everywhere, so bundles merge them.
ID = M("居民身份证", form=BOTH)
HUKOU = M("户口簿", form=BOTH)
PROXY = M("授权委托书及受托人身份证", COND, ORIG, 1, "委托他人代办的")
MARRIAGE = M("婚姻状况证明", COND, COPY, 1, "已婚的提交结婚证，离异的提交离婚证或判决书")
MARRIAGE_CERT = M("结婚证", form=BOTH)
DEED = M("不动产权证书")
LICENSE = M("营业执照（副本）", form=BOTH)
LEGAL_REP_ID = M("法定代表人身份证", form=COPY)
SEAL = M("单位公章")
BIRTH_CERT = M("出生医学证明", form=BOTH)
SSCARD = M("社会保障卡")
BANK = M("本人银行借记卡", form=COPY)
LEASE = M("经营场所使用证明（产权证明或租赁合同）", form=COPY)
HOUSE_CONTRACT = M("存量房买卖合同", copies=2)
VETERAN = M("退出现役证", form=BOTH)
TAX_CLEARANCE = M("清税证明")
PHOTO = M("近期一寸白底免冠照片", copies=2)


@dataclass(frozen=True)
class Spec:
    name: str
    kind: str
    days: int
    visits: int
    online: bool
    materials: tuple[M, ...]
    conditions: str = ""
    basis: str = ""
    fee: str = "不收费"


@dataclass
class DepartmentPlan:
    name: str
    basis: str
    matters: list[Spec] = field(default_factory=list)


def S(name, kind, days, visits, online, *materials, conditions="", basis="", fee="不收费"):
    return Spec(name, kind, days, visits, online, materials, conditions, basis, fee)


# fmt: off
PLAN = [
    DepartmentPlan(
        "不动产登记",
        "《不动产登记暂行条例》《不动产登记暂行条例实施细则》",
        [
            S("不动产转移登记（二手房买卖）", K.CONFIRMATION, 1, 1, True,
              M("不动产登记申请书"), ID, DEED, HOUSE_CONTRACT, M("契税完税凭证"), MARRIAGE,
              PROXY, conditions="买卖双方已完成存量房买卖合同网签备案并缴清税费。",
              fee="住宅每件 80 元（含一本证书工本费）"),
            S("不动产转移登记（新建商品房）", K.CONFIRMATION, 3, 1, True,
              M("不动产登记申请书"), ID, M("商品房买卖合同", copies=2), M("契税完税凭证"),
              MARRIAGE, PROXY, fee="住宅每件 80 元（含一本证书工本费）"),
            S("不动产抵押登记（首次）", K.CONFIRMATION, 1, 0, True,
              M("不动产登记申请书"), ID, DEED, M("主债权合同"), M("抵押合同"), PROXY,
              fee="住宅每件 80 元"),
            S("不动产抵押权注销登记", K.CONFIRMATION, 0, 0, True,
              M("不动产登记申请书"), M("不动产登记证明"), M("抵押权人同意注销的证明"), PROXY),
            S("不动产首次登记（国有建设用地使用权）", K.CONFIRMATION, 10, 1, False,
              M("不动产登记申请书"), LEGAL_REP_ID, M("国有建设用地使用权出让合同"),
              M("土地出让价款缴纳凭证"), M("不动产权籍调查成果"), fee="每件 550 元"),
            S("不动产变更登记（姓名、地址等）", K.CONFIRMATION, 3, 1, True,
              M("不动产登记申请书"), ID, DEED, M("变更事项的证明材料", form=COPY), PROXY),
            S("不动产更正登记", K.CONFIRMATION, 10, 2, False,
              M("不动产登记申请书"), ID, DEED, M("证实登记确有错误的材料", form=COPY)),
            S("不动产转移登记（继承、受遗赠）", K.CONFIRMATION, 15, 2, False,
              M("不动产登记申请书"), ID, DEED, M("被继承人死亡证明"),
              M("继承权公证书或生效法律文书"), HUKOU, PROXY,
              conditions="全体继承人到场或提交经公证的放弃继承声明。",
              fee="住宅每件 80 元（含一本证书工本费）"),
            S("预告登记（预购商品房）", K.CONFIRMATION, 1, 0, True,
              M("不动产登记申请书"), ID, M("商品房买卖合同", copies=2), PROXY),
            S("不动产登记资料查询", K.PUBLIC_SERVICE, 0, 0, True, M("不动产登记资料查询申请书"), ID,
              M("利害关系证明材料", COND, COPY, 1, "利害关系人查询的"), PROXY),
            S("不动产权证书补证换证", K.CONFIRMATION, 5, 1, False,
              M("不动产登记申请书"), ID, M("遗失声明", COND, ORIG, 1, "证书遗失的"),
              M("不动产权证书（损坏的原证）", COND, ORIG, 1, "证书损坏换证的"),
              fee="每本证书工本费 10 元"),
        ],
    ),
    DepartmentPlan(
        "公安交警",
        "《中华人民共和国道路交通安全法》《机动车驾驶证申领和使用规定》《机动车登记规定》",
        [
            S("机动车驾驶证换证", K.LICENSE, 0, 0, True,
              ID, M("机动车驾驶证"), M("身体条件证明"), PHOTO, fee="工本费 10 元"),
            S("机动车驾驶证补证", K.LICENSE, 0, 1, False, ID, PHOTO, M("机动车驾驶证申请表"),
              PROXY, fee="工本费 10 元"),
            S("机动车驾驶证审验", K.OTHER, 0, 1, False, ID, M("机动车驾驶证"),
              M("道路交通安全法律法规和安全知识学习证明", COND, ELEC, 1, "有记分未满 12 分的")),
            S("交通违法处理（窗口）", K.OTHER, 0, 1, False,
              ID, M("机动车驾驶证"), M("机动车行驶证", COND, ORIG, 1, "处理车辆违法的"),
              conditions="违法记录已录入公安交通管理信息系统。"),
            S("交通违法网上处理", K.OTHER, 0, 0, True, M("机动车驾驶证", form=ELEC),
              M("机动车行驶证", form=ELEC), M("交通违法记录告知单", COND, ELEC, 1, "收到告知单的")),
            S("机动车注册登记", K.LICENSE, 1, 1, False,
              ID, M("机动车整车出厂合格证明"), M("机动车销售统一发票"), M("车辆购置税完税证明"),
              M("机动车交通事故责任强制保险凭证"), fee="号牌 100 元，行驶证 10 元"),
            S("机动车转移登记（二手车过户）", K.LICENSE, 0, 1, False,
              ID, M("机动车登记证书"), M("机动车行驶证"), M("二手车销售统一发票"),
              fee="行驶证工本费 10 元"),
            S("机动车检验标志核发", K.OTHER, 0, 0, True,
              M("机动车交通事故责任强制保险凭证", form=ELEC), M("车船税完税证明", form=ELEC),
              M("机动车安全技术检验报告", form=ELEC)),
            S("临时号牌核发", K.LICENSE, 0, 1, False,
              ID, M("机动车整车出厂合格证明"), M("机动车交通事故责任强制保险凭证"),
              fee="每副 5 元"),
        ],
    ),
    DepartmentPlan(
        "人力社保",
        "《中华人民共和国社会保险法》《社会保险费征缴暂行条例》",
        [
            S("社会保障卡申领", K.PUBLIC_SERVICE, 5, 1, True, ID, M("近期一寸白底免冠照片"),
              M("社会保障卡申领登记表"), M("监护人居民身份证", COND, BOTH, 1, "未成年人申领的")),
            S("灵活就业人员参保登记", K.PUBLIC_SERVICE, 0, 0, True, ID, M("参保登记表"), BANK,
              M("居住证", COND, COPY, 1, "非本市户籍的")),
            S("失业登记", K.PUBLIC_SERVICE, 0, 0, True, ID, M("解除劳动合同证明", form=COPY),
              M("失业登记表"), M("居住证", COND, COPY, 1, "非本市户籍的")),
            S("失业保险金申领", K.PAYMENT, 5, 0, True, ID, SSCARD, M("解除劳动合同证明", form=COPY),
              BANK),
            S("基本养老金申领（退休）", K.PAYMENT, 10, 1, False,
              ID, HUKOU, SSCARD, BANK, M("退休审批表", copies=2), M("人事档案", COND, ORIG, 1,
                                                                  "档案存放在本中心的")),
            S("就业创业证申领", K.PUBLIC_SERVICE, 3, 0, True, ID, M("近期一寸白底免冠照片"),
              M("就业创业证申领登记表"), M("毕业证书", COND, COPY, 1, "高校毕业生申领的")),
            S("社会保险个人权益记录查询打印", K.PUBLIC_SERVICE, 0, 0, True, ID, SSCARD,
              PROXY),
            S("退役士兵社会保险关系接续", K.PUBLIC_SERVICE, 10, 1, False,
              ID, VETERAN, M("军人退役养老保险参保缴费凭证"), M("军人退役医疗保险参保缴费凭证")),
            S("工伤认定申请", K.CONFIRMATION, 20, 1, False,
              ID, M("工伤认定申请表"), M("劳动关系证明", form=COPY), M("医疗诊断证明"),
              basis="《工伤保险条例》"),
            S("企业职工养老保险关系转移接续", K.PUBLIC_SERVICE, 15, 0, True,
              ID, M("参保缴费凭证"), M("基本养老保险关系转移接续申请表")),
            S("企业职工参保登记", K.PUBLIC_SERVICE, 1, 0, True,
              LICENSE, M("社会保险登记表"), LEGAL_REP_ID),
        ],
    ),
    DepartmentPlan(
        "市场监管",
        "《中华人民共和国市场主体登记管理条例》《中华人民共和国公司法》",
        [
            S("企业名称自主申报", K.CONFIRMATION, 0, 0, True, LEGAL_REP_ID, M("名称申报承诺书"),
              M("投资人主体资格证明", form=ELEC)),
            S("有限责任公司设立登记", K.LICENSE, 1, 0, True,
              M("公司登记（备案）申请书"), M("公司章程"), LEGAL_REP_ID,
              M("股东主体资格证明", form=COPY), LEASE, M("董事、监事、经理任职文件")),
            S("个体工商户设立登记", K.LICENSE, 0, 0, True,
              M("个体工商户登记申请书"), ID, LEASE),
            S("个体工商户变更登记", K.LICENSE, 0, 0, True,
              M("个体工商户登记申请书"), ID, LICENSE),
            S("个体工商户注销登记", K.LICENSE, 0, 1, True,
              M("个体工商户注销登记申请书"), ID, LICENSE),
            S("企业变更登记（名称、住所、经营范围）", K.LICENSE, 1, 0, True,
              M("公司登记（备案）申请书"), LICENSE, M("股东会决议"), M("章程修正案")),
            S("企业注销登记", K.LICENSE, 3, 1, True,
              M("公司注销登记申请书"), LICENSE, M("股东会决议"), M("清算报告"),
              TAX_CLEARANCE),
            S("食品经营许可证核发", K.LICENSE, 7, 1, True,
              M("食品经营许可申请书"), LICENSE, LEGAL_REP_ID, LEASE,
              M("经营设施设备布局和操作流程图"), M("食品安全管理制度"),
              basis="《中华人民共和国食品安全法》《食品经营许可和备案管理办法》"),
            S("食品经营许可证变更", K.LICENSE, 5, 0, True,
              M("食品经营许可变更申请书"), M("食品经营许可证"), LICENSE,
              basis="《食品经营许可和备案管理办法》"),
            S("药品零售企业许可", K.LICENSE, 15, 1, False,
              M("药品经营许可证申请表"), LICENSE, LEASE, M("执业药师注册证", form=COPY),
              basis="《中华人民共和国药品管理法》"),
        ],
    ),
    DepartmentPlan(
        "税务",
        "《中华人民共和国税收征收管理法》及其实施细则",
        [
            S("存量房交易税费申报", K.OTHER, 0, 1, False, ID, HOUSE_CONTRACT, DEED, MARRIAGE),
            S("新办纳税人涉税事项套餐", K.OTHER, 0, 0, True,
              LICENSE, LEGAL_REP_ID, M("财务负责人身份证", form=COPY)),
            S("发票领用", K.OTHER, 0, 0, True, LICENSE, M("经办人身份证", form=COPY),
              M("发票领用簿"), M("税控设备", COND, ORIG, 1, "使用税控设备开票的")),
            S("个人所得税综合所得汇算清缴", K.OTHER, 0, 0, True, ID, BANK,
              M("专项附加扣除信息表", COND, ELEC, 1, "享受专项附加扣除的")),
            S("清税证明开具", K.OTHER, 0, 1, True, LICENSE, M("清税申报表"), LEGAL_REP_ID,
              M("发票缴销证明", COND, ORIG, 1, "领用过发票的")),
            S("契税申报（新建商品房）", K.OTHER, 0, 1, False,
              ID, M("商品房买卖合同", copies=2), M("购房发票")),
            S("增值税一般纳税人登记", K.OTHER, 0, 0, True, LICENSE, M("增值税一般纳税人登记表"),
              M("经办人身份证", form=COPY)),
        ],
    ),
    DepartmentPlan(
        "公积金",
        "《住房公积金管理条例》《杭州市住房公积金提取管理办法》",
        [
            S("住房公积金提取（购房）", K.PAYMENT, 3, 0, True,
              ID, BANK, M("购房合同或不动产权证书", form=COPY), M("购房发票", form=COPY),
              MARRIAGE),
            S("住房公积金提取（租房）", K.PAYMENT, 0, 0, True, ID, BANK,
              M("住房租赁合同或租赁备案证明", form=COPY), MARRIAGE),
            S("住房公积金提取（离退休）", K.PAYMENT, 1, 1, False, ID, BANK, M("退休证明")),
            S("住房公积金个人住房贷款", K.PAYMENT, 10, 1, False,
              ID, HUKOU, MARRIAGE, M("购房合同"), M("收入证明")),
            S("单位住房公积金缴存登记", K.PUBLIC_SERVICE, 1, 0, True,
              LICENSE, M("单位缴存登记表"), LEGAL_REP_ID),
            S("住房公积金异地转移接续", K.PUBLIC_SERVICE, 5, 0, True, ID,
              M("住房公积金异地转移接续申请表"),
              M("原缴存地转移证明", COND, ORIG, 1, "原缴存地未联网的")),
        ],
    ),
    DepartmentPlan(
        "医保",
        "《中华人民共和国社会保险法》《浙江省基本医疗保险条例》",
        [
            S("医保关系转移接续", K.PUBLIC_SERVICE, 10, 0, True,
              ID, M("基本医疗保险参保凭证"), M("基本医疗保险关系转移接续申请表")),
            S("城乡居民基本医疗保险参保登记", K.PUBLIC_SERVICE, 0, 0, True, ID, HUKOU,
              M("城乡居民医保参保登记表"), M("居住证", COND, COPY, 1, "非本市户籍的")),
            S("新生儿参保登记", K.PUBLIC_SERVICE, 0, 0, True, BIRTH_CERT, HUKOU,
              M("父母双方居民身份证", form=COPY)),
            S("异地就医备案", K.PUBLIC_SERVICE, 0, 0, True, SSCARD, M("异地就医备案表", form=ELEC),
              M("异地居住证明或工作证明", COND, ELEC, 1, "异地长期居住或工作的")),
            S("医疗费用零星报销", K.PAYMENT, 20, 1, False,
              SSCARD, M("医疗费用发票"), M("费用明细清单"), M("出院小结", COND, COPY, 1, "住院的")),
            S("生育医疗费用报销", K.PAYMENT, 10, 0, True, ID, BIRTH_CERT, BANK),
            S("门诊特殊病种资格认定", K.CONFIRMATION, 10, 1, False,
              SSCARD, M("病历及检查报告", form=COPY), M("门诊特殊病种申请表")),
            S("退休人员医保待遇核定", K.CONFIRMATION, 5, 0, True, ID, SSCARD,
              M("医保缴费年限核定表")),
        ],
    ),
    DepartmentPlan(
        "民政",
        "《婚姻登记条例》",
        [
            S("结婚登记", K.CONFIRMATION, 0, 1, False,
              ID, HUKOU,
              M("本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明"),
              M("近期二寸半身免冠合影照片", copies=3),
              conditions="男女双方共同到婚姻登记机关办理；男年满二十二周岁，女年满二十周岁。"),
            S("离婚登记", K.CONFIRMATION, 0, 2, False, ID, HUKOU, MARRIAGE_CERT,
              M("离婚协议书", copies=3), M("近期二寸单人免冠照片", copies=2),
              conditions="双方自愿离婚；申请后三十日冷静期满，双方再次到场领取离婚证。"),
            S("补领婚姻登记证", K.CONFIRMATION, 0, 1, False, ID, HUKOU,
              M("近期二寸半身免冠合影照片", copies=3)),
            S("最低生活保障申请", K.PAYMENT, 20, 1, False,
              ID, HUKOU, M("最低生活保障申请书"), M("家庭收入和财产状况声明"),
              basis="《社会救助暂行办法》《浙江省最低生活保障办法》"),
            S("高龄津贴申领", K.PAYMENT, 10, 0, True, ID, BANK, HUKOU, PROXY,
              basis="《浙江省实施〈中华人民共和国老年人权益保障法〉办法》"),
            S("惠民殡葬补助申领", K.PAYMENT, 5, 1, False,
              M("逝者居民身份证"), M("火化证明"), BANK, basis="《殡葬管理条例》"),
            S("社会团体成立登记", K.LICENSE, 20, 2, False,
              M("社会团体成立登记申请书"), M("章程草案"), M("业务主管单位批准文件"),
              M("住所使用证明", form=COPY), basis="《社会团体登记管理条例》"),
        ],
    ),
    DepartmentPlan(
        "卫健",
        "《中华人民共和国人口与计划生育法》",
        [
            S("生育登记", K.PUBLIC_SERVICE, 0, 0, True, ID, MARRIAGE_CERT, HUKOU,
              M("生育登记表", form=ELEC)),
            S("出生医学证明补发", K.CONFIRMATION, 20, 1, False,
              ID, M("出生医学证明补发申请表"), M("分娩记录", form=COPY),
              basis="《中华人民共和国母婴保健法》"),
            S("公共场所卫生许可", K.LICENSE, 7, 1, True,
              M("公共场所卫生许可申请表"), LICENSE, LEASE, M("从业人员健康合格证明"),
              basis="《公共场所卫生管理条例》"),
            S("医疗机构执业登记", K.LICENSE, 15, 2, False,
              M("医疗机构执业登记申请书"), LEASE, M("医疗机构设置批准书"),
              M("医务人员执业证书", form=COPY), basis="《医疗机构管理条例》"),
            S("计划生育家庭特别扶助金申领", K.PAYMENT, 20, 1, False, ID, HUKOU, BANK),
        ],
    ),
    DepartmentPlan(
        "住建",
        "《中华人民共和国城市房地产管理法》《商品房销售管理办法》",
        [
            S("新建商品房买卖合同网签备案", K.OTHER, 0, 0, True, ID, M("商品房买卖合同", copies=2),
              M("购房资格审核证明", form=ELEC)),
            S("存量房买卖合同网签备案", K.OTHER, 0, 1, True, ID, DEED, HOUSE_CONTRACT, MARRIAGE),
            S("住房租赁登记备案", K.OTHER, 0, 0, True, ID, M("房屋租赁合同", form=COPY), DEED,
              basis="《商品房屋租赁管理办法》"),
            S("城镇老旧小区住宅加装电梯备案", K.OTHER, 10, 1, False,
              M("加装电梯备案申请表"), M("业主书面同意意见"), M("设计方案"),
              basis="《杭州市老旧小区住宅加装电梯管理办法》"),
            S("公共租赁住房申请", K.PUBLIC_SERVICE, 20, 1, False,
              ID, HUKOU, MARRIAGE, M("家庭收入证明"), basis="《公共租赁住房管理办法》"),
            S("建筑工程施工许可证核发", K.LICENSE, 7, 1, True,
              M("建筑工程施工许可申请表"), M("建设工程规划许可证"), M("施工合同"),
              basis="《中华人民共和国建筑法》《建筑工程施工许可管理办法》"),
        ],
    ),
    DepartmentPlan(
        "公安户籍出入境",
        "《中华人民共和国户口登记条例》《中华人民共和国居民身份证法》",
        [
            S("出生登记（户口申报）", K.CONFIRMATION, 0, 1, True,
              BIRTH_CERT, HUKOU, MARRIAGE_CERT, M("父母双方居民身份证", form=COPY)),
            S("居民身份证申领", K.CONFIRMATION, 20, 1, False, HUKOU,
              M("近期免冠照片（现场采集）", form=ELEC), M("居民身份证申领登记表"),
              M("监护人居民身份证", COND, BOTH, 1, "未满十六周岁的"), fee="工本费 20 元"),
            S("户口迁移（市内）", K.CONFIRMATION, 0, 1, True, HUKOU, ID, M(
                "合法稳定住所证明", COND, COPY, 1, "迁入自有住房的提交不动产权证书")),
            S("往来港澳通行证及签注", K.LICENSE, 7, 1, False, ID,
              M("近期彩色照片（现场采集）", form=ELEC), M("出入境证件申请表"), HUKOU,
              fee="证件 60 元，签注每次 15 元"),
            S("退役军人户口登记", K.CONFIRMATION, 0, 1, False, VETERAN, HUKOU,
              M("退役士兵安置介绍信")),
        ],
    ),
    DepartmentPlan(
        "残联",
        "《中华人民共和国残疾人保障法》《中华人民共和国残疾人证管理办法》",
        [
            S("残疾人证核发", K.CONFIRMATION, 20, 1, False, ID, HUKOU, PHOTO,
              M("残疾人证申请表")),
            S("困难残疾人生活补贴申领", K.PAYMENT, 15, 0, True, ID, M("残疾人证"), BANK),
        ],
    ),
    DepartmentPlan(
        "城管",
        "《城市道路管理条例》《杭州市户外广告设施设置管理办法》",
        [
            S("城市道路临时占用许可", K.LICENSE, 5, 1, False,
              M("临时占用城市道路申请表"), M("占道位置示意图"), LICENSE),
            S("户外招牌设置许可", K.LICENSE, 10, 1, True,
              M("户外招牌设置申请表"), LICENSE, M("招牌设计效果图")),
        ],
    ),
]

# "一件事": (code suffix, name, description, matter names in handling order).
BUNDLES = [
    ("01", "企业开办一件事",
     "名称申报、设立登记、涉税事项、申领发票、社保和公积金登记一次申请、一窗受理、并联办理。",
     ["企业名称自主申报", "有限责任公司设立登记", "新办纳税人涉税事项套餐", "发票领用",
      "企业职工参保登记", "单位住房公积金缴存登记"]),
    ("02", "二手房交易登记一件事",
     "存量房网签备案、税费申报和不动产转移登记一窗受理，登记、缴税“一表申请、一次办结”。",
     ["存量房买卖合同网签备案", "存量房交易税费申报", "不动产转移登记（二手房买卖）",
      "住房公积金提取（购房）"]),
    ("03", "新生儿出生一件事",
     "出生医学证明、户口登记、医保参保、社保卡申领一次办理。",
     ["出生登记（户口申报）", "新生儿参保登记", "社会保障卡申领", "生育医疗费用报销"]),
    ("04", "退休一件事",
     "养老金申领、医保待遇核定和公积金提取同步办理。",
     ["基本养老金申领（退休）", "退休人员医保待遇核定", "住房公积金提取（离退休）"]),
    ("05", "军人退役一件事",
     "退役军人户口登记、社会保险和公积金接续一次办结。",
     ["退役军人户口登记", "退役士兵社会保险关系接续", "医保关系转移接续",
      "住房公积金异地转移接续"]),
    ("06", "开办餐饮店一件事",
     "个体工商户登记、食品经营许可和户外招牌设置一次申请。",
     ["个体工商户设立登记", "食品经营许可证核发", "户外招牌设置许可"]),
    ("07", "婚育户一件事",
     "结婚登记后，生育登记和户口迁移一次办理。",
     ["结婚登记", "生育登记", "户口迁移（市内）"]),
    ("08", "企业注销一件事",
     "清税证明和企业注销登记一次申请、一网通办。",
     ["清税证明开具", "企业注销登记"]),
]
# fmt: on
BUNDLE_CODE_PREFIX = f"{DEMO_REGION_CODE}-YJS-"
DEFAULT_CONDITIONS = "申请材料齐全、符合法定形式；委托他人办理的，另附授权委托书。"


def _departments() -> dict[str, Department]:
    names = [plan.name for plan in PLAN]
    rows = Department.objects.filter(region__code=DEMO_REGION_CODE, name__in=names)
    return {d.name: d for d in rows}


# What a matter issues that a later matter of the same "一件事" would otherwise ask for.
PRODUCES = {
    "有限责任公司设立登记": "营业执照",
    "个体工商户设立登记": "营业执照",
    "结婚登记": "结婚证",
    "出生登记（户口申报）": "户口簿",
}


def _matter(department: Department, number: int, spec: Spec, basis: str) -> Matter:
    return Matter(
        code=f"{DEMO_REGION_CODE}-{department.code}-{number:03d}",
        name=spec.name,
        department=department,
        kind=spec.kind,
        promised_days=spec.days,
        max_visits=spec.visits,
        online=spec.online or spec.visits == 0,
        conditions=spec.conditions or DEFAULT_CONDITIONS,
        legal_basis=spec.basis or basis,
        fee=spec.fee,
        produces=PRODUCES.get(spec.name, ""),
        search_text=index_tokens(spec.name, *(m.name for m in spec.materials)),
    )


def load() -> None:
    """Create the demo catalog; a catalog already holding the demo codes is left alone."""
    if Matter.objects.filter(code__startswith=f"{DEMO_REGION_CODE}-").exists():
        return
    departments = _departments()
    planned: list[tuple[Matter, Spec]] = []
    for plan in PLAN:
        department = departments.get(plan.name)
        if department is None:
            continue
        for number, spec in enumerate(plan.matters, start=1):
            planned.append((_matter(department, number, spec, plan.basis), spec))
    matters = Matter.objects.bulk_create([matter for matter, _ in planned])
    Material.objects.bulk_create(
        Material(
            matter=matter,
            name=m.name,
            requirement=m.requirement,
            form=m.form,
            copies=m.copies,
            condition=m.condition,
            order=order,
        )
        for matter, (_, spec) in zip(matters, planned, strict=True)
        for order, m in enumerate(spec.materials)
    )
    bundles = _load_bundles({m.name: m for m in matters})
    audit.record(
        actor=None,
        action="catalog.demo",
        object_type="catalog.matter",
        after={"matters": len(matters), "bundles": bundles},
        actor_name="演示数据",
    )


def _load_bundles(by_name: dict[str, Matter]) -> int:
    created = 0
    for suffix, name, description, matter_names in BUNDLES:
        members = [by_name[n] for n in matter_names if n in by_name]
        if len(members) < len(matter_names) or len(members) < 2:
            continue  # a department of the bundle is missing
        bundle = Bundle.objects.create(
            code=f"{BUNDLE_CODE_PREFIX}{suffix}", name=name, description=description
        )
        BundleItem.objects.bulk_create(
            BundleItem(bundle=bundle, matter=m, order=i) for i, m in enumerate(members)
        )
        created += 1
    return created
