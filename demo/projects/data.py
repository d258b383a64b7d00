"""Word lists behind the demo leads and projects (`projects.demo`): fictional companies,
people and projects that read like the real ones of a county's investment bureau."""

from __future__ import annotations

from projects.choices import BlockerCategory, Category, FollowUpMethod, LeadSource

# Industry chains: code, name, leading, {category: weight}, segments.
# Segment: code, name, company words, project names ({brand}, {n}), products.
CHAINS = [
    (
        "BIO",
        "生物医药",
        True,
        {Category.INDUSTRIAL: 1},
        [
            (
                "BIO01",
                "化学原料药",
                ["药业", "制药", "医药化工"],
                [
                    "{brand}年产{n}吨医药中间体项目",
                    "{brand}原料药生产基地项目",
                    "{brand}高端原料药及制剂一体化项目",
                ],
                "医药中间体、原料药",
            ),
            (
                "BIO02",
                "中药饮片及中成药",
                ["中药科技", "药业", "生物药业"],
                [
                    "{brand}中药饮片加工项目",
                    "{brand}年产{n}吨中药提取物项目",
                    "{brand}中药材种植及精深加工项目",
                ],
                "中药饮片、中成药",
            ),
            (
                "BIO03",
                "医疗器械",
                ["医疗器械", "医疗科技"],
                [
                    "{brand}医用耗材生产项目",
                    "{brand}年产{n}万套医疗器械项目",
                    "{brand}体外诊断试剂生产项目",
                ],
                "医用耗材、体外诊断试剂",
            ),
            (
                "BIO04",
                "生物制品",
                ["生物科技", "生物工程"],
                ["{brand}生物发酵产品项目", "{brand}年产{n}吨酶制剂项目"],
                "酶制剂、生物发酵产品",
            ),
        ],
    ),
    (
        "NEM",
        "新能源新材料",
        True,
        {Category.INDUSTRIAL: 1},
        [
            (
                "NEM01",
                "锂电池及材料",
                ["新能源科技", "锂电科技", "能源材料"],
                [
                    "{brand}年产{n}万吨锂电池正极材料项目",
                    "{brand}动力电池模组生产项目",
                    "{brand}储能电池生产基地项目",
                ],
                "锂电池正极材料、电池模组",
            ),
            (
                "NEM02",
                "光伏及储能",
                ["光伏科技", "光电科技", "储能科技"],
                [
                    "{brand}年产{gw}GW光伏组件项目",
                    "{brand}光伏支架生产项目",
                    "{brand}储能变流器生产项目",
                ],
                "光伏组件、储能变流器",
            ),
            (
                "NEM03",
                "新型建材",
                ["新型建材", "建材科技", "绿色建材"],
                ["{brand}装配式建筑构件生产项目", "{brand}年产{n}万立方米新型墙材项目"],
                "装配式构件、新型墙材",
            ),
            (
                "NEM04",
                "高分子材料",
                ["新材料", "高分子材料", "塑胶科技"],
                ["{brand}年产{n}万吨改性塑料项目", "{brand}高性能复合材料项目"],
                "改性塑料、复合材料",
            ),
        ],
    ),
    (
        "ELE",
        "电子信息",
        True,
        {Category.INDUSTRIAL: 1},
        [
            (
                "ELE01",
                "电子元器件",
                ["电子", "电子科技", "电子元件"],
                [
                    "{brand}年产{n}亿只电子元器件项目",
                    "{brand}印制电路板生产项目",
                    "{brand}电感电容生产线项目",
                ],
                "印制电路板、电子元器件",
            ),
            (
                "ELE02",
                "智能终端",
                ["智能科技", "通讯设备", "智能电器"],
                [
                    "{brand}智能终端产业园项目",
                    "{brand}年产{n}万台智能家电项目",
                    "{brand}可穿戴设备生产项目",
                ],
                "智能终端、小家电",
            ),
            (
                "ELE03",
                "半导体及显示",
                ["半导体", "微电子", "光电显示"],
                ["{brand}半导体封装测试项目", "{brand}LED显示模组项目"],
                "芯片封装测试、LED显示屏",
            ),
        ],
    ),
    (
        "EQP",
        "装备制造",
        True,
        {Category.INDUSTRIAL: 1},
        [
            (
                "EQP01",
                "汽车零部件",
                ["汽车零部件", "汽配", "汽车部件"],
                ["{brand}年产{n}万套汽车零部件项目", "{brand}新能源汽车零部件生产项目"],
                "汽车零部件、铝合金轮毂",
            ),
            (
                "EQP02",
                "智能装备",
                ["智能装备", "自动化设备", "机器人科技"],
                [
                    "{brand}智能制造装备产业园项目",
                    "{brand}工业机器人生产项目",
                    "{brand}年产{n}台套自动化设备项目",
                ],
                "自动化生产线、工业机器人",
            ),
            (
                "EQP03",
                "精密机械",
                ["精密机械", "机械制造", "精工"],
                [
                    "{brand}精密铸造项目",
                    "{brand}年产{n}万件精密机械零件项目",
                    "{brand}数控机床生产项目",
                ],
                "精密零件、数控机床",
            ),
            (
                "EQP04",
                "农机装备",
                ["农业机械", "农机装备"],
                ["{brand}现代农机装备生产项目", "{brand}年产{n}台收割机项目"],
                "收割机、植保无人机",
            ),
        ],
    ),
    (
        "AGR",
        "农副产品深加工",
        False,
        {Category.INDUSTRIAL: 6, Category.AGRICULTURAL: 4},
        [
            (
                "AGR01",
                "粮油加工",
                ["粮油", "米业", "油脂"],
                ["{brand}年产{n}万吨优质大米加工项目", "{brand}菜籽油精深加工项目"],
                "大米、食用油",
            ),
            (
                "AGR02",
                "畜禽及肉制品",
                ["食品", "牧业", "肉类食品"],
                [
                    "{brand}生猪屠宰及冷鲜肉加工项目",
                    "{brand}年出栏{n}万头生猪养殖项目",
                    "{brand}肉制品深加工项目",
                ],
                "冷鲜肉、肉制品",
            ),
            (
                "AGR03",
                "果蔬及休闲食品",
                ["食品", "农业开发", "农产品"],
                [
                    "{brand}果蔬冷链加工项目",
                    "{brand}休闲食品生产项目",
                    "{brand}年产{n}吨预制菜项目",
                ],
                "休闲食品、预制菜",
            ),
        ],
    ),
    (
        "TOU",
        "文化旅游",
        False,
        {Category.TOURISM: 9, Category.OTHER: 1},
        [
            (
                "TOU01",
                "康养旅游",
                ["康养产业发展", "健康产业"],
                ["{brand}温泉康养度假区项目", "{brand}森林康养基地项目"],
                "康养服务",
            ),
            (
                "TOU02",
                "乡村旅游",
                ["文旅发展", "旅游开发"],
                ["{brand}田园综合体项目", "{brand}乡村民宿集群项目", "{brand}古镇文旅开发项目"],
                "乡村旅游、民宿",
            ),
            (
                "TOU03",
                "文化创意",
                ["文化传媒", "文化创意"],
                ["{brand}文创产业园项目", "{brand}研学实践基地项目"],
                "文创产品、研学服务",
            ),
        ],
    ),
    (
        "LOG",
        "商贸物流",
        False,
        {Category.COMMERCE: 17, Category.INFRASTRUCTURE: 3},
        [
            (
                "LOG01",
                "冷链物流",
                ["冷链物流", "供应链管理", "物流"],
                ["{brand}冷链物流园项目", "{brand}农产品冷链仓储中心项目"],
                "冷链仓储、物流配送",
            ),
            (
                "LOG02",
                "电子商务",
                ["电子商务", "网络科技"],
                ["{brand}电商产业园项目", "{brand}直播电商基地项目"],
                "电商运营、直播带货",
            ),
            (
                "LOG03",
                "商业综合体",
                ["商业管理", "置业"],
                ["{brand}城市商业综合体项目", "{brand}商贸城项目"],
                "商业运营",
            ),
        ],
    ),
]
SCALE_NUMBERS = [5, 10, 20, 30, 50, 100, 200, 500]

# How much each unit works on leads and projects, and the chains it mostly brings in.
UNIT_WEIGHTS = {
    "JKQ": 5,
    "GXQ": 4,
    "NYY": 2,
    "CGZ": 3,
    "QLZ": 2,
    "BMZ": 1.5,
    "SQZ": 2,
    "HKZ": 1.5,
    "XHJD": 2,
    "GXJ": 2,
    "FGJ": 1.5,
    "SWJ": 1.5,
    "WLJ": 1,
    "NYJ": 1,
    "KJJ": 1,
}
UNIT_CHAINS = {
    "JKQ": ["EQP", "NEM", "ELE", "BIO"],
    "GXQ": ["ELE", "BIO", "NEM"],
    "NYY": ["AGR", "TOU"],
    "CGZ": ["EQP", "ELE", "LOG", "TOU"],
    "QLZ": ["EQP", "AGR"],
    "BMZ": ["AGR", "EQP", "TOU"],
    "SQZ": ["NEM", "EQP"],
    "HKZ": ["AGR", "EQP", "LOG"],
    "XHJD": ["ELE", "LOG"],
    "GXJ": ["EQP", "NEM", "ELE"],
    "FGJ": ["NEM", "BIO", "LOG"],
    "SWJ": ["LOG"],
    "WLJ": ["TOU"],
    "NYJ": ["AGR"],
    "KJJ": ["BIO", "ELE"],
}
# Minimum investment intensity of the parks (万元/亩, 亩均论英雄).
PARK_MIN_INTENSITY = {"JKQ": 200, "GXQ": 300}

# Where the resident teams are stationed, and the cities they bring companies from.
REGION_CITIES = {
    "长三角": ["上海", "苏州", "杭州", "宁波", "无锡", "常州", "温州", "合肥"],
    "珠三角": ["深圳", "东莞", "广州", "佛山", "中山"],
    "京津冀": ["北京", "天津", "石家庄"],
    "成渝": ["成都", "重庆"],
    "粤港澳": ["香港", "澳门", "深圳", "广州"],
    "海西": ["厦门", "泉州", "福州"],
}
FOREIGN_PLACES = ["香港", "澳门", "台湾", "新加坡", "韩国", "日本", "德国"]
OTHER_PROVINCE_CITIES = ["武汉", "长沙", "郑州", "青岛", "济南", "南京"]
# Cities of the same province, outside the county's city (市外).
SAME_PROVINCE_CITIES = ["南昌", "九江", "赣州", "宜春", "上饶", "吉安", "抚州", "萍乡"]

BRAND_FIRST = "恒华鑫嘉瑞盛宏博通达联泰润德汇天金永昌佳正安海明越中诚信和凯"
BRAND_SECOND = "瑞华源泰达盛丰创新科宇辉业成祥隆峰信远邦力诺威拓晟"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
)
GIVEN_FIRST = "志建国海晓文永德春小俊明立振家宏子雪丽红伟新玉金世"
GIVEN_SECOND = "华明强军平伟峰刚杰涛斌辉勇敏燕芳琳婷东林清波鹏飞"
CONTACT_TITLES = ["董事长", "总经理", "副总经理", "执行董事", "投资总监", "战略发展部经理", "总裁"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "158",
    "159",
    "166",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "199",
]
# County leaders who take charge of key projects (包保领导).
COUNTY_LEADERS = ["王建国", "刘振华", "陈志刚", "何敏", "杨文斌", "黄立新"]

SOURCE_WEIGHTS = {
    LeadSource.BUSINESS_REFERRAL: 20,
    LeadSource.RESIDENT_TEAM: 18,
    LeadSource.EVENT: 15,
    LeadSource.HOMETOWN: 12,
    LeadSource.AGENT: 8,
    LeadSource.ONLINE: 7,
    LeadSource.VISIT: 15,
    LeadSource.OTHER: 5,
}
PERIODS = ["建设期12个月", "建设期18个月", "建设期24个月", "分两期建设，一期建设期12个月"]

LEAD_FOLLOW_UPS = [
    (FollowUpMethod.VISIT, "赴企业总部拜访，企业对我县区位交通和产业配套表示认可"),
    (FollowUpMethod.PHONE, "电话沟通项目用地、用电需求，企业正在内部论证"),
    (FollowUpMethod.MEETING, "企业负责人来县考察园区标准厂房和配套设施"),
    (FollowUpMethod.ONLINE, "视频会议介绍我县招商优惠政策，企业索要政策汇编"),
    (FollowUpMethod.VISIT, "随驻点小分队再次上门对接，企业拟于近期来县实地考察"),
    (FollowUpMethod.MEETING, "县领导会见企业负责人，双方就合作框架初步达成共识"),
    (FollowUpMethod.PHONE, "了解企业投资决策进度，企业董事会尚未研究"),
    (FollowUpMethod.OTHER, "在产业推介会上与企业再次接洽，交换了项目资料"),
]
LEAD_NEXT_STEPS = [
    "邀请企业来县实地考察",
    "提供拟选地块的规划条件",
    "准备项目可行性分析材料",
    "协调园区测算用电负荷",
    "跟进企业董事会决策",
    "起草投资意向协议",
    "",
]
LEAD_DROP_REASONS = [
    "企业投资意向转向其他地区，已在外地落户",
    "企业资金紧张，投资计划暂缓",
    "项目不符合我县产业政策和环保要求",
    "用地需求过大，现有指标无法满足",
    "企业经营出现困难，投资计划取消",
    "企业多次联系未回复，信息失效",
]
PROJECT_FOLLOW_UPS = [
    (FollowUpMethod.MEETING, "与企业就土地价格和供地方式进行第二轮洽谈"),
    (FollowUpMethod.VISIT, "企业高管来县考察拟选地块，对地块条件基本满意"),
    (FollowUpMethod.MEETING, "县政府召开专题会议研究项目扶持政策"),
    (FollowUpMethod.ONLINE, "向企业发送投资协议草案，待企业法务反馈意见"),
    (FollowUpMethod.PHONE, "与企业确认协议条款修改意见，争取早日签约"),
    (FollowUpMethod.VISIT, "赴企业总部汇报我县配套条件，企业承诺尽快决策"),
]
CONSTRUCTION_FOLLOW_UPS = [
    (FollowUpMethod.VISIT, "现场调度：主体厂房钢结构已基本完成"),
    (FollowUpMethod.VISIT, "现场调度：设备陆续进场，正在安装调试"),
    (FollowUpMethod.MEETING, "召开项目推进会，协调解决施工用水用电问题"),
    (FollowUpMethod.VISIT, "现场调度：办公楼封顶，厂区道路施工中"),
]
TERMINATION_REASONS = [
    "企业战略调整，投资计划取消",
    "项目用地指标无法落实，双方协商终止",
    "企业资金链断裂，无力继续投资",
    "项目环评未获批准",
    "企业最终选择落户其他地区",
    "合同约定条件未能兑现，双方协商解除协议",
]
MOVED_BACK_NOTE = "开工认定依据不足（仅完成场地平整），退回签约阶段"
RETURN_REASONS = ["合同缺少双方盖章页，请补充后重新上传", "合同扫描件不清晰，请重新上传"]

# Blockers by category: descriptions, resolutions, and the unit that must solve them
# (None: the project's own unit).
BLOCKERS = {
    BlockerCategory.LAND: (
        [
            "项目用地指标尚未落实，需调整国土空间规划",
            "征地涉及3户农户，补偿标准尚未谈妥",
            "用地红线与林地保护范围部分重叠",
        ],
        ["已调整规划并完成土地挂牌出让", "经镇村多次协调，农户已签订补偿协议"],
        "ZRZYJ",
    ),
    BlockerCategory.ENVIRONMENT: (
        ["环评报告审批进度缓慢，需协调市局提前介入", "项目排污总量指标不足"],
        ["市生态环境局已批复环评报告", "通过区域内减排腾出总量指标"],
        "STHJJ",
    ),
    BlockerCategory.FUNDING: (
        ["企业银行贷款审批未通过，资金缺口约3000万元", "县产业引导基金出资程序尚未完成"],
        ["协调县内银行提供项目贷款", "产业引导基金已完成出资"],
        "CZJ",
    ),
    BlockerCategory.UTILITIES: (
        [
            "园区变电站扩容未完成，无法满足企业用电负荷",
            "天然气管网尚未接通到厂区",
            "污水管网未铺设到项目地块",
        ],
        ["供电公司已完成专线架设并送电", "管网已接通，企业已试生产"],
        None,
    ),
    BlockerCategory.APPROVAL: (
        [
            "施工许可证办理卡在消防设计审查环节",
            "项目备案信息需变更，企业材料不全",
            "规划许可证需重新报批",
        ],
        ["开辟绿色通道，施工许可证已核发", "帮办代办完成备案变更"],
        "ZJJ",
    ),
    BlockerCategory.LABOUR: (
        ["企业招工缺口约200人，技术工人短缺", "需协调职业技术学校开展订单式培训"],
        ["组织专场招聘会，已招录180人", "与县职业中专签订订单培养协议"],
        "RSJ",
    ),
    BlockerCategory.OTHER: (
        ["进场道路未完工，大型设备无法进场", "周边村民阻工，需镇村协调"],
        ["进场道路已硬化通车", "镇村干部入户做工作，施工已恢复"],
        None,
    ),
}

# Funds in place (到位资金) and completed investment (完成投资).
FUNDS_NOTES = [
    "注册资本金到位",
    "股东出资款到账",
    "设备购置款到账",
    "厂房建设款到账",
    "银行项目贷款到位",
    "土地出让金已缴纳",
]
INVESTMENT_NOTES = ["场地平整及基础施工", "主体厂房建设", "设备安装调试", "配套设施建设"]
# Why the bureau returns a record, and whether the amount entered was wrong.
FUNDS_RETURN_REASONS = [
    ("凭证金额与填报金额不一致，请核实后重新填报", True),
    ("填报金额含尚未到账的承诺出资，请按实际到账金额填报", True),
    ("银行回单不清晰，请重新上传", False),
    ("所附凭证非本月到账记录，请补充本月银行回单", False),
]
FUNDS_CORRECTIONS_DOWN = [
    "同一笔到账款在两个月重复填报，核减",
    "该笔款项为企业间往来借款，不属于到位资金，核减",
]
FUNDS_CORRECTIONS_UP = ["漏报一笔股东出资款，补报", "银行回单补齐后补报差额"]
FUNDS_OVER_CONTRACT_NOTE = "投资方追加投资，增资款一次性到账"
FUNDS_BIG_MONTH_NOTE = "设备购置款集中支付，一次性到账"
