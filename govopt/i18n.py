"""UI strings in Simplified Chinese and English, and locale-aware number formatting.

Imports nothing from govopt: the modules that word records (``govopt/output/``)
look their sentences up here."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "LANGS",
    "Lang",
    "as_lang",
    "fmt_cny",
    "fmt_int",
    "fmt_mb_pair",
    "fmt_money",
    "fmt_num",
    "fmt_pct",
    "fmt_staff",
    "t",
]


Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# key -> (zh, en). Keep keys grouped by page; placeholders use str.format names.
STRINGS: dict[str, tuple[str, str]] = {
    # ----- common -----
    "app.title": ("网格化服务资源优化", "Grid governance resource planner"),
    "lang.label": ("语言 / Language", "Language / 语言"),
    # ----- allocation model -----
    "model.marginal_none": (
        "本方案没有可用的边际价值（仅对求得最优解的方案计算）。",
        "No marginal values: they are computed for optimal plans only.",
    ),
    "model.marginal_cost": (
        "成本最小化目标下，边际价值以成本计，不以覆盖时长计。",
        "Under the cost objective, marginal values are costs, not covered hours.",
    ),
    "model.marginal_staff": (
        "人员预算每增加1人，可多覆盖约 {hours} 小时/年（按优先权重计）。",
        "One more staff member in the budget covers about {hours} more "
        "(priority-weighted) hours a year.",
    ),
    "model.marginal_staff_slack": (
        "人员预算未用满：增加人员预算不会提高覆盖。",
        "The staff budget is not fully used: more staff budget would not raise coverage.",
    ),
    "model.marginal_funds": (
        "经费预算每增加1万元，可多覆盖约 {hours} 小时/年（按优先权重计）。",
        "Another 10,000 CNY of funds covers about {hours} more (priority-weighted) hours a year.",
    ),
    "model.marginal_funds_slack": (
        "经费预算未用满：增加经费不会提高覆盖。",
        "The funds budget is not fully used: more funds would not raise coverage.",
    ),
    "model.marginal_transfer": (
        "每多允许调动1人，可多覆盖约 {hours} 小时/年。",
        "Allowing one more staff transfer covers about {hours} more hours a year.",
    ),
    "model.marginal_transfer_slack": (
        "调动上限未用满：放宽调动上限不会提高覆盖。",
        "The transfer limit is not reached: allowing more transfers would not raise coverage.",
    ),
    "model.marginal_center": (
        "第{rank}位：{name} 每增加1名工作人员可多覆盖约 {hours} 小时/年。",
        "#{rank}: one more staff member at {name} covers about {hours} more hours a year.",
    ),
    "model.infeasible_min_staff_budget": (
        "最低配置标准需要 {need} 名工作人员；人员预算只允许 {allowed} 名。",
        "Minimum staffing needs {need} staff; the staff budget allows {allowed}.",
    ),
    "model.infeasible_budget_staff": (
        "其他政策合计需要 {need} 名工作人员；人员预算只允许 {allowed} 名。",
        "The other policies need {need} staff; the staff budget allows {allowed}.",
    ),
    "model.infeasible_budget_funds": (
        "其他政策需要经费 {need} 元；经费预算只允许 {allowed} 元。",
        "The other policies need {need} CNY of funds; the funds budget allows {allowed} CNY.",
    ),
    "model.infeasible_target_staff": (
        "覆盖率目标 {target} 需要 {need} 名工作人员；人员预算只允许 {allowed} 名。",
        "The coverage target of {target} needs {need} staff; the staff budget allows {allowed}.",
    ),
    "model.infeasible_target_funds": (
        "覆盖率目标 {target} 需要经费 {need} 元；经费预算只允许 {allowed} 元。",
        "The coverage target of {target} needs {need} CNY of funds; "
        "the funds budget allows {allowed} CNY.",
    ),
    "model.infeasible_min_staff": (
        "{n} 个中心达不到最低配置标准（共缺 {short} 人），例如最大容量低于最低配置。",
        "{n} centers cannot reach minimum staffing (short by {short} staff in total), "
        "e.g. their max_staff is below the minimum.",
    ),
    "model.infeasible_max_staff": (
        "{n} 个中心需要超过其最大容量（合计超出 {over} 人）。",
        "{n} centers would need more staff than their max_staff ({over} staff over in total).",
    ),
    "model.infeasible_transfers": (
        "需要调动 {need} 人；调动上限只允许 {allowed} 人。",
        "{need} staff would have to move; the transfer limit allows {allowed}.",
    ),
    "model.infeasible_target": (
        "覆盖率目标 {target} 在 {n} 个网格无法达到（合计缺 {hours} 小时/年），现有预算和上限不足。",
        "The coverage target of {target} cannot be reached in {n} grids "
        "({hours} hours a year short in total) within the budgets and limits.",
    ),
    "model.conflict.budget_staff": (
        "人员预算只允许 {allowed} 名工作人员；受{others}约束，方案需要 {need} 名。",
        "The staff budget allows {allowed} staff; with {others}, the plan needs {need}.",
    ),
    "model.conflict.budget_funds": (
        "经费预算只允许 {allowed} 元；受{others}约束，方案需要 {need} 元。",
        "The funds budget allows {allowed} CNY; with {others}, the plan needs {need} CNY.",
    ),
    "model.conflict.min_staff": (
        "最低配置标准要求 {centers}共 {need} 名工作人员；"
        "受{others}约束，最多只能配置 {allowed} 名。",
        "Minimum staffing asks {need} staff at {centers}; with {others}, at most {allowed} "
        "are possible.",
    ),
    "model.conflict.max_staff": (
        "{centers}的最大容量只允许 {allowed} 名工作人员；受{others}约束，需要 {need} 名。",
        "The max_staff of {centers} allows {allowed} staff there; with {others}, {need} are "
        "needed.",
    ),
    "model.conflict.transfers": (
        "调动上限只允许调动 {allowed} 人；受{others}约束，需要调动 {need} 人。",
        "The transfer limit lets {allowed} staff move; with {others}, {need} must move.",
    ),
    "model.conflict.min_funds": (
        "经费保障下限要求 {centers}共 {need} 元；受{others}约束，最多只能安排 {allowed} 元。",
        "The funds floors ask {need} CNY at {centers}; with {others}, at most {allowed} CNY "
        "are possible.",
    ),
    "model.conflict.funds_moved": (
        "经费调减上限只允许从各中心调减 {allowed} 元；受{others}约束，需要调减 {need} 元。",
        "The funds-moved limit lets {allowed} CNY be taken from centers; with {others}, "
        "{need} CNY must be.",
    ),
    "model.conflict.target": (
        "覆盖率目标 {target} 要求 {grids}共 {need} 小时/年；受{others}约束，最多只能达到 "
        "{allowed} 小时/年。",
        "The coverage target of {target} asks {need} hours a year in {grids}; with {others}, "
        "at most {allowed} are possible.",
    ),
    "model.infeasible_min_funds": (
        "{n} 个中心达不到经费保障下限（共缺 {short} 元）。",
        "{n} centers cannot reach their funds floor ({short} CNY short in total).",
    ),
    "model.infeasible_funds_moved": (
        "需要从各中心调减经费 {need} 元；经费调减上限只允许 {allowed} 元。",
        "{need} CNY would have to be taken from centers; the funds-moved limit allows "
        "{allowed} CNY.",
    ),
    "policy.budget_staff": ("人员预算", "the staff budget"),
    "policy.budget_funds": ("经费预算", "the funds budget"),
    "policy.min_staff": ("最低配置标准", "minimum staffing"),
    "policy.max_staff": ("中心最大容量", "the centers' max_staff"),
    "policy.transfers": ("调动上限", "the transfer limit"),
    "policy.min_funds": ("经费保障下限", "the funds floors"),
    "policy.funds_moved": ("经费调减上限", "the funds-moved limit"),
    "policy.target": ("覆盖率目标（{target}）", "the coverage target of {target}"),
    "count.center": ("{n} 个中心", "{n} center"),
    "count.centers": ("{n} 个中心", "{n} centers"),
    "count.grid": ("{n} 个网格", "{n} grid"),
    "count.grids": ("{n} 个网格", "{n} grids"),
    "policy.and": ("和", " and "),
    "policy.comma": ("、", ", "),
    "model.infeasible_unknown": (
        "方案不可行，但未能定位冲突的政策；请放宽预算或配置标准后重试。",
        "The scenario is infeasible, but the conflicting policies could not be located; "
        "relax a budget or norm and try again.",
    ),
    # ----- overview, what-if, scenarios, data pages -----
    "nav.overview": ("总览", "Overview"),
    "nav.coverage_map": ("覆盖地图", "Coverage map"),
    "nav.what_if": ("情景推演", "What-if allocation"),
    "nav.scenarios": ("方案管理", "Scenarios"),
    "nav.data": ("数据", "Data"),
    "data.label_sample": (
        "正在使用：{name}（内置样例：真实边界内的模拟数据）",
        "In use: {name} (bundled sample: synthetic layout inside the real outline)",
    ),
    "data.label_bundled": ("正在使用：{name}（内置数据）", "In use: {name} (bundled data)"),
    "data.label_upload": ("正在使用：{name}（您上传的数据）", "In use: {name} (your upload)"),
    "data.label_broken": (
        "当前数据集有错误，请到“数据”页查看",
        "The dataset in use has errors: see the Data page",
    ),
    "data.missing": (
        "找不到数据集文件夹 {path}。请在“数据”页上传数据集，或运行 govopt sample 生成样例。",
        "The dataset folder {path} was not found. Upload a dataset on the Data page, "
        "or create the sample with govopt sample.",
    ),
    "data.broken": (
        "数据集 {path} 无法使用，请修正以下问题后重新上传：",
        "The dataset {path} cannot be used; fix these problems and upload it again:",
    ),
    "ov.grids": ("网格数", "Grids"),
    "ov.streets": ("街道/镇", "Streets / towns"),
    "ov.residents": ("常住人口", "Residents"),
    "ov.elderly_share": ("60岁以上占比", "Aged 60+"),
    "ov.orders_per_1000": ("每千人工单", "Work orders per 1,000"),
    "ov.work_orders": ("工单总数", "Work orders"),
    "ov.centers": ("党群服务中心", "Service centers"),
    "ov.levels": ("街道 / 社区 / 网格站", "street / community / grid station"),
    "ov.centers_by_level": (
        "街道 / 社区 / 网格站：{counts}",
        "street / community / grid station: {counts}",
    ),
    "ov.staff": ("工作人员", "Staff"),
    "ov.funds": ("年度服务经费（元）", "Service funds (CNY/year)"),
    "ov.orgs": ("社会组织", "Social organizations"),
    "ov.baseline_coverage": ("现状覆盖率", "Coverage today"),
    "ov.unreachable": ("服务半径外网格", "Grids out of reach"),
    "ov.by_street": ("分街道情况", "By street"),
    "ov.computing_baseline": (
        "正在计算现状覆盖率（每个数据集只算一次，大型数据集约需一分钟）……",
        "Computing coverage today (once per dataset; about a minute for a large one)…",
    ),
    "ov.baseline_note": (
        "现状覆盖率：以现有人员和经费满足现有需求的比例（服务时长）。",
        "Coverage today: the share of demand (service hours) that today's staff and funds "
        "can serve.",
    ),
    "ov.baseline_failed": (
        "暂时无法计算现状覆盖率（{detail}）。其他指标不受影响。",
        "Coverage today could not be computed ({detail}). The other figures are unaffected.",
    ),
    "sf.name": ("方案名称", "Scenario name"),
    "sf.objective": ("优化目标", "Objective"),
    "sf.objective.coverage": ("覆盖最大化", "Maximise coverage"),
    "sf.objective.equity": ("公平优先（提高最低覆盖）", "Equity (raise the lowest coverage)"),
    "sf.objective.cost": ("成本最小化（达到覆盖目标）", "Least cost (reach the coverage target)"),
    "sf.budget": ("预算", "Budget"),
    "sf.staff_total": ("人员总数上限", "Staff in total (at most)"),
    "sf.funds_total": ("经费总额上限（元/年）", "Funds in total (CNY/year, at most)"),
    "sf.max_transfers": ("最多调动人数", "Staff transfers (at most)"),
    "sf.max_funds_moved": ("最多调减经费（元）", "Funds moved (CNY, at most)"),
    "sf.no_limit": ("留空表示不限", "Leave empty for no limit"),
    "sf.grouped_budget": (
        "读数（点击“求解”后更新）：人员总数上限 {staff}；经费总额上限 {funds}；"
        "最多调动 {transfers}；最多调减经费 {moved}",
        "Reads (updated on Solve): staff in total {staff}; funds in total {funds}; "
        "transfers {transfers}; funds moved {moved}",
    ),
    "sf.grouped_min_funds": (
        "读数（点击“求解”后更新）：经费下限 街道中心 {street}；社区中心 {community}；网格站 {grid}",
        "Reads (updated on Solve): minimum funds, street center {street}; community center "
        "{community}; grid station {grid}",
    ),
    "sf.policy": ("配置标准", "Norms"),
    "sf.radius.street": ("街道中心服务半径（米）", "Street center radius (m)"),
    "sf.radius.community": ("社区中心服务半径（米）", "Community center radius (m)"),
    "sf.radius.grid": ("网格站服务半径（米）", "Grid station radius (m)"),
    "sf.min_staff.street": ("街道中心最少人数", "Street center: minimum staff"),
    "sf.min_staff.community": ("社区中心最少人数", "Community center: minimum staff"),
    "sf.min_staff.grid": ("网格站最少人数", "Grid station: minimum staff"),
    "sf.min_funds.street": ("街道中心经费下限（元/年）", "Street center: minimum funds (CNY/year)"),
    "sf.min_funds.community": (
        "社区中心经费下限（元/年）",
        "Community center: minimum funds (CNY/year)",
    ),
    "sf.min_funds.grid": ("网格站经费下限（元/年）", "Grid station: minimum funds (CNY/year)"),
    "sf.coverage_target": ("覆盖目标（成本最小化时）", "Coverage target (least-cost objective)"),
    "sf.integer_staff": ("人员按整数配置", "Whole staff numbers"),
    "sf.standards": ("工作标准与成本", "Work standards and costs"),
    "sf.work_hours": ("每人年工作时长（小时）", "Work hours per staff member a year"),
    "sf.cost_per_hour": ("购买服务单价（元/小时）", "Purchased service (CNY/hour)"),
    "sf.wage": ("人均年薪酬（元）", "Yearly cost per staff member (CNY)"),
    "sf.solve": ("求解", "Solve"),
    "sf.invalid": ("请修改以下设置：", "Please change these settings:"),
    "wi.title": ("情景推演：人员、经费与社会组织配置", "What-if: staff, funds and organizations"),
    "wi.intro": (
        "默认值来自数据集的 scenario.toml。修改后点击“求解”；相同设置再次求解会立即返回。",
        "Defaults come from the dataset's scenario.toml. Change them and press Solve; "
        "solving the same settings again is instant.",
    ),
    "wi.hint": (
        "设置方案后点击“求解”，即可查看配置结果。",
        "Set up a scenario and press Solve to see the plan.",
    ),
    "wi.showing": ("当前显示方案：{name}", "Showing scenario: {name}"),
    "wi.solving": ("正在建模并求解……", "Building and solving the model…"),
    "wi.building": ("正在建立模型", "Building the model"),
    "wi.stage.baseline": (
        "正在计算现状覆盖（每个数据集只算一次）",
        "Computing today's coverage (once per dataset)",
    ),
    "wi.stage.demand": ("正在计算服务需求", "Computing service demand"),
    "wi.stage.links": ("正在匹配服务半径内的网格", "Linking grids within the service radius"),
    "wi.stage.build": ("正在建立优化模型", "Building the optimisation model"),
    "wi.stage.solve": ("正在求解", "Solving"),
    "wi.stage.extract": ("正在整理结果", "Preparing the results"),
    "wi.done": ("求解完成", "Solved"),
    "wi.failed": ("求解未完成", "Not solved"),
    "wi.no_plan": ("无可行方案", "No feasible plan"),
    "wi.bad_input": ("输入有误，请修正后重试：", "The input has problems; fix them and try again:"),
    "wi.solver_error": (
        "求解器出错：{detail}。请放宽限制、缩小区域或稍后重试；如仍出错，请联系管理员。",
        "The solver failed: {detail}. Loosen the limits, try a smaller area or try again; "
        "if it keeps failing, contact your administrator.",
    ),
    "wi.infeasible": (
        "该方案无可行解：各项约束相互冲突。",
        "This scenario has no feasible plan: its constraints conflict.",
    ),
    "wi.time_limit": (
        "在时间限制内未求得最优解。",
        "No optimal plan was found within the time limit.",
    ),
    "wi.not_solved": ("未求得最优解。", "No optimal plan was found."),
    "wi.what_to_do": (
        "可提高预算、降低最低配置人数、放宽调动上限或降低覆盖目标后重试。",
        "Raise a budget, lower the minimum staffing, allow more transfers or lower the "
        "coverage target, then solve again.",
    ),
    "wi.kpis": ("配置前后对比", "Before and after"),
    "wi.delta_note": (
        "箭头表示相对现状（现有人员和经费）的变化。",
        "Changes are against today (current staff and funds).",
    ),
    "wi.map": ("方案覆盖地图", "Coverage under the plan"),
    "wi.centers": ("各中心配置方案", "Plan per center"),
    "wi.download_centers": (
        "下载中心配置表（CSV，英文列名，供程序读取）",
        "Download centers plan (CSV, English column names, for programs)",
    ),
    "wi.download_grids": (
        "下载网格覆盖表（CSV，英文列名，供程序读取）",
        "Download grid coverage (CSV, English column names, for programs)",
    ),
    "wi.marginal": ("边际价值：再增加资源的效果", "Marginal values: what more resources buy"),
    "wi.unreachable": ("服务半径外的网格", "Grids out of reach"),
    "wi.no_unreachable": (
        "所有网格都在某个中心的服务半径内。",
        "Every grid is within reach of a center.",
    ),
    "wi.unreachable_note": (
        "{n} 个网格不在任何中心的服务半径内，无论如何配置都无法覆盖："
        "可考虑新设网格站或扩大服务半径。",
        "{n} grids are out of reach of every center and cannot be covered by any allocation: "
        "consider a new grid station or a wider radius.",
    ),
    "wi.save": ("保存方案", "Save the scenario"),
    "wi.save_name": ("保存名称", "Save as"),
    "wi.name_taken": ("已有名为“{name}”的方案：", "A scenario called '{name}' is already saved:"),
    "wi.conflict_rename": ("另存为“{name}”", "Keep both: save as '{name}'"),
    "wi.conflict_overwrite": ("覆盖原方案", "Overwrite the saved one"),
    "wi.save_button": ("保存", "Save"),
    "wi.save_taken": (
        "已有名为“{name}”的方案：请选择覆盖或另存。",
        "A scenario called '{name}' is already saved: overwrite it or keep both.",
    ),
    "wi.save_no_name": (
        "名称为空：请为方案命名。",
        "The name is empty: type a name for the scenario.",
    ),
    "wi.saved": (
        "已保存为“{name}”。可在“方案管理”页比较和导出。",
        "Saved as '{name}'. Compare and export it on the Scenarios page.",
    ),
    "status.optimal": ("最优", "optimal"),
    "status.infeasible": ("无可行解", "infeasible"),
    "status.unbounded": ("无界", "unbounded"),
    "status.time_limit": ("超时", "time limit"),
    "status.not_solved": ("未求解", "not solved"),
    "status.error": ("出错", "error"),
    "sc.title": ("方案管理", "Saved scenarios"),
    "sc.where": ("方案保存在：{path}", "Scenarios are stored in {path}"),
    "sc.empty": (
        "还没有保存的方案。请在“情景推演”页求解后保存。",
        "No saved scenarios yet. Solve one on the What-if page and save it.",
    ),
    "sc.tab_compare": ("方案比较", "Compare"),
    "sc.tab_export": ("导出", "Export"),
    "sc.tab_manage": ("重命名 / 删除", "Rename / delete"),
    "sc.pick_a": ("方案 A", "Scenario A"),
    "sc.pick_b": ("方案 B", "Scenario B"),
    "sc.kpi": ("指标", "Indicator"),
    "sc.difference": ("差值（B − A）", "Difference (B − A)"),
    "sc.change_map": ("覆盖率变化地图（A → B）", "Change in coverage (A → B)"),
    "sc.top_centers": ("人员或经费变化最大的中心", "Centers whose staff or funds differ most"),
    "sc.no_differences": ("两个方案的各中心配置相同。", "Both plans give every center the same."),
    "sc.map_other_dataset": (
        "该方案可能来自其他数据集，无法在当前数据上绘制（{detail}）。",
        "This plan may come from another dataset and cannot be drawn on this one ({detail}).",
    ),
    "sc.pick_export": ("选择要导出的方案", "Scenario to export"),
    "sc.dl_zip": (
        "下载方案表格（CSV，zip，英文列名，供程序读取）",
        "Download plan tables (CSV, zip, English column names, for programs)",
    ),
    "sc.dl_geojson": ("下载网格结果（GeoJSON）", "Download grids with results (GeoJSON)"),
    "sc.dl_html": ("下载离线地图（HTML）", "Download offline map (HTML)"),
    "sc.pick_manage": ("选择方案", "Scenario"),
    "sc.new_name": ("新名称", "New name"),
    "sc.rename": ("重命名", "Rename"),
    "sc.renamed": ("已将“{old}”重命名为“{new}”。", "Renamed '{old}' to '{new}'."),
    "sc.confirm_delete": (
        "确认删除“{name}”（不可恢复）",
        "Yes, delete '{name}' (cannot be undone)",
    ),
    "sc.delete": ("删除", "Delete"),
    "da.title": ("数据：上传、检查与模板", "Data: upload, check and templates"),
    "da.in_use": ("当前数据集：{path}", "Dataset in use: {path}"),
    "da.back_to_sample": ("改回内置样例数据", "Switch back to the bundled sample"),
    "da.upload": ("上传数据集", "Upload a dataset"),
    "da.upload_help": (
        "上传数据集文件夹的 zip 压缩包，或逐个选择其中的文件（grids.geojson、centers.csv、"
        "standards.csv 等）。总大小不超过 {limit} MB。",
        "Upload a zip of the dataset folder, or choose its files one by one (grids.geojson, "
        "centers.csv, standards.csv, ...). At most {limit} MB in total.",
    ),
    "da.choose": ("选择文件", "Choose files"),
    "da.too_large": (
        "上传内容为 {size} MB，超过 {limit} MB 的上限。"
        "请删去不需要的文件（照片、备份）或按区域拆分后重新上传。",
        "The upload is {size} MB, over the {limit} MB limit. Remove files the app does not "
        "need (photos, backups) or split the district, then upload again.",
    ),
    "da.upload_refused": ("无法接收该上传：", "The upload cannot be used:"),
    "da.valid": (
        "检查通过（{summary}），可以使用该数据集。",
        "Checked: {summary}. This dataset can be used.",
    ),
    "da.invalid": (
        "发现问题（{summary}）。请按下表修正文件后重新上传。",
        "Problems found ({summary}). Fix the files as the table says and upload them again.",
    ),
    "da.use": ("使用该数据集", "Use this dataset"),
    "da.switched": ("已切换到上传的数据集。", "Switched to the uploaded dataset."),
    "da.templates": ("空白模板", "Empty templates"),
    "da.templates_help": (
        "每个文件的模板都含全部列名；各列含义和单位见数据字典。",
        "Each template has every column; the data dictionary gives meanings and units.",
    ),
    "da.template": ("下载 {name}", "Download {name}"),
    "da.templates_zip": ("下载全部模板（zip）", "Download all templates (zip)"),
    "col.street": ("街道/镇", "Street / town"),
    "col.grids": ("网格数", "Grids"),
    "col.residents": ("常住人口", "Residents"),
    "col.elderly_share": ("60岁以上占比", "Aged 60+"),
    "col.centers": ("中心数", "Centers"),
    "col.staff": ("人员", "Staff"),
    "col.funds_cny": ("经费（元）", "Funds (CNY)"),
    "col.work_orders": ("工单数", "Work orders"),
    "col.orders_per_1000": ("每千人工单", "Orders per 1,000"),
    "col.coverage": ("覆盖率", "Coverage"),
    "col.baseline_coverage": ("现状覆盖率", "Coverage today"),
    "col.unreachable_grids": ("半径外网格", "Grids out of reach"),
    "col.unreachable": ("半径外", "Out of reach"),
    "col.center_id": ("中心编号", "Center id"),
    "col.grid_id": ("网格编号", "Grid id"),
    "col.name": ("名称", "Name"),
    "col.level": ("层级", "Level"),
    "col.level_street": ("街道中心", "street center"),
    "col.level_community": ("社区中心", "community center"),
    "col.level_grid": ("网格站", "grid station"),
    "col.staff0": ("现有人员", "Staff today"),
    "col.staff_change": ("人员变化", "Staff change"),
    "col.funds0_cny": ("现有经费（元）", "Funds today (CNY)"),
    "col.funds_change": ("经费变化（元）", "Funds change (CNY)"),
    "col.org_hours": ("社会组织时长（小时/年）", "Organization hours (h/yr)"),
    "col.served_hours": ("已覆盖时长（小时/年）", "Served hours (h/yr)"),
    "col.demand_hours": ("需求时长（小时/年）", "Demand hours (h/yr)"),
    "col.min_coverage": ("最低网格覆盖率", "Lowest grid coverage"),
    "col.grids_below_target": ("未达目标网格", "Grids below target"),
    "col.coverage_gini": ("覆盖基尼系数", "Coverage Gini"),
    "col.staff_used": ("使用人员", "Staff used"),
    "col.funds_used_cny": ("使用经费（元）", "Funds used (CNY)"),
    "col.staff_transfers": ("调动人数", "Staff transfers"),
    "col.saved_at": ("保存时间", "Saved"),
    "col.dataset": ("数据集", "Dataset"),
    "col.objective": ("目标", "Objective"),
    "col.status": ("状态", "Status"),
    "col.staff_a": ("A 人员", "Staff A"),
    "col.staff_b": ("B 人员", "Staff B"),
    "col.staff_diff": ("人员差值", "Staff difference"),
    "col.funds_a": ("A 经费", "Funds A"),
    "col.funds_b": ("B 经费", "Funds B"),
    "col.funds_diff": ("经费差值", "Funds difference"),
    "col.severity": ("级别", "Severity"),
    "col.severity_error": ("错误", "error"),
    "col.severity_warning": ("警告", "warning"),
    "col.severity_info": ("提示", "info"),
    "col.file": ("文件", "File"),
    "col.row": ("行", "Row"),
    "col.column": ("列", "Column"),
    "col.message": ("问题", "Problem"),
    "col.fix": ("处理办法", "What to do"),
    # ----- coverage map -----
    "map.page_title": ("覆盖地图", "Coverage map"),
    "map.no_data": ("无数据", "no data"),
    "map.layer.outline": ("区界", "District outline"),
    "map.layer.streets": ("街道边界", "Street outlines"),
    "map.layer.grids": ("网格", "Grids"),
    "map.layer.centers": ("{level}", "{level}"),
    "map.layer.orgs": ("社会组织", "Social organizations"),
    "map.level.street": ("街道党群服务中心", "Street centers"),
    "map.level.community": ("社区党群服务中心", "Community centers"),
    "map.level.grid": ("网格服务站", "Grid stations"),
    "map.tip.street": ("街道/社区", "Street / community"),
    "map.tip.staff": ("工作人员", "Staff"),
    "map.tip.domain": ("服务领域", "Domain"),
    "map.tip.rating": ("等级", "Rating"),
    "map.tip.hours": ("年服务时长", "Hours per year"),
    "map.indicator": ("指标", "Indicator"),
    "map.street_filter": ("街道/镇", "Street / town"),
    "map.all_streets": ("全部", "All"),
    "map.show_centers": ("显示党群服务中心", "Show service centers"),
    "map.show_orgs": ("显示社会组织", "Show social organizations"),
    "map.online_tiles": ("在线底图（需联网）", "Online base map (needs internet)"),
    "map.details": ("网格详情", "Grid details"),
    "map.click_hint": ("点击地图上的网格查看详情。", "Click a grid on the map to see its details."),
    "map.solving": ("正在计算方案…", "Solving the plan…"),
    "map.plan_failed": (
        "方案未求得最优解，改为显示现状指标：{reason}",
        "The plan has no optimal solution; showing data-only indicators instead: {reason}",
    ),
    "map.download": ("下载离线地图（HTML）", "Download offline map (HTML)"),
    "map.grids_shown": ("显示 {n} 个网格", "{n} grids shown"),
    "map.unlisted": (
        "{layers}点位过多，未在全区地图上绘制；选择一个街道后即可显示。",
        "Too many to draw on the whole district: {layers}. Choose a street to see them.",
    ),
    # ----- solver status notes, scenario problems, govopt solve -----
    "status_note.infeasible": (
        "没有能同时满足全部政策的方案，原因见上。",
        "no plan meets every policy at once; see the explanation",
    ),
    "status_note.time_limit": (
        "求解器在证明最优方案之前已到达时间限制；请延长时间限制或放宽 MIP 间隙。",
        "the time limit was reached before the solver proved a best plan; "
        "allow more time or a larger MIP gap",
    ),
    "status_note.unbounded": (
        "模型无界，请检查预算。",
        "the model is unbounded; check the budgets",
    ),
    "status_note.not_solved": ("求解器未完成求解。", "the solver did not finish"),
    "status_note.error": (
        "求解器出错，请换用另一个求解器。",
        "the solver failed; try the other solver",
    ),
    "scenario_problem.unknown_setting": (
        "未知设置“{key}”：请删除，或改用以下之一：{known}",
        "unknown setting '{key}': remove it or use one of {known}",
    ),
    "scenario_problem.not_a_table": (
        "{key} 必须是表格形式，例如 {{ street = 3000, community = 1000, grid = 500 }}",
        "{key} must be a table such as {{ street = 3000, community = 1000, grid = 500 }}",
    ),
    "scenario_problem.unknown_level": (
        "{key} 含未知层级 {levels}：请使用 street、community、grid",
        "{key} has unknown level(s) {levels}: use street, community, grid",
    ),
    "scenario_problem.not_bool": (
        "{key} 必须为 true 或 false，而不是 {value!r}",
        "{key} must be true or false, not {value!r}",
    ),
    "scenario_problem.not_text": (
        "{key} 必须是文字，而不是 {value!r}",
        "{key} must be text, not {value!r}",
    ),
    "scenario_problem.not_a_number": (
        "{key} 必须是数字，而不是 {value!r}",
        "{key} must be a number, not {value!r}",
    ),
    "scenario_problem.missing_file": (
        "找不到文件：请检查 --scenario 路径",
        "file not found: check the --scenario path",
    ),
    "scenario_problem.unreadable_file": (
        "无法读取文件（{reason}）",
        "cannot read the file ({reason})",
    ),
    "scenario_problem.not_utf8": (
        "文件不是 UTF-8 文本：请另存为 UTF-8 编码",
        "the file is not UTF-8 text; save it as UTF-8",
    ),
    "scenario_problem.broken_toml": (
        "TOML 格式有误（{detail}）：请修正语法",
        "broken TOML ({detail}); fix the syntax",
    ),
    "scenario_problem.broken_json": (
        "JSON 格式有误（第 {line} 行：{detail}）",
        "broken JSON ({detail} at line {line})",
    ),
    "scenario_problem.not_an_object": ("需要一个 JSON 对象", "expected a JSON object"),
    "scenario_problem.unknown_objective": (
        "未知的优化目标“{value}”：请使用以下之一：{choices}",
        "objective '{value}' is unknown: use one of {choices}",
    ),
    "scenario_problem.negative_limit": (
        "{key} 为 {value}：预算或上限必须大于或等于 0",
        "{key} is {value}: a budget or limit must be 0 or more",
    ),
    "scenario_problem.not_positive": (
        "{key} 为 {value}：必须大于 0",
        "{key} is {value}: it must be more than 0",
    ),
    "scenario_problem.negative_level": (
        "{key} 为 {value}：必须大于或等于 0",
        "{key} is {value}: it must be 0 or more",
    ),
    "scenario_problem.target_out_of_range": (
        "coverage_target 为 {value}：请填写 0 到 1 之间的比例（0.8 即 80%）",
        "coverage_target is {value}: use a share between 0 and 1 (0.8 = 80%)",
    ),
    "scenario_problem.mip_gap_out_of_range": (
        "mip_gap 为 {value}：请使用较小的比例，例如 0.0001",
        "mip_gap is {value}: use a small share such as 0.0001",
    ),
    "scenario_problem.unknown_solver": (
        "未知的求解器“{value}”：请使用 auto、highs 或 cbc",
        "solver '{value}' is unknown: use auto, highs or cbc",
    ),
    "scenario_problem.floor_above_budget": (
        "min_funds_cny.{level} 为 {floor}：单个中心的经费下限高于经费预算总额 "
        "funds_total_cny（{budget}）；请降低下限或提高预算",
        "min_funds_cny.{level} is {floor}: one center's funds floor is above the whole "
        "funds budget funds_total_cny ({budget}); lower the floor or raise the budget",
    ),
    "scenario_problem.empty_name": (
        "方案名称为空：请为方案命名",
        "name is empty: give the scenario a name",
    ),
    "cli.dataset_unusable": ("{path}：数据集无法使用：", "{path}: the dataset cannot be used:"),
    "cli.scenario_unusable": ("{source}：方案无法使用：", "{source}: the scenario cannot be used:"),
    "cli.solved": (
        "方案“{name}”（{objective}），求解器 {solver}：{status}",
        "scenario {name!r} ({objective}), solver {solver}: {status}",
    ),
    "cli.infeasible": ("该方案无可行解：", "the scenario is infeasible:"),
    "cli.not_optimal": (
        "未求得最优解（{status}），只写出了 summary.json。"
        "请延长 --time-limit 或换用另一个 --solver。",
        "no optimal plan ({status}); nothing but summary.json was written. "
        "Try a longer --time-limit or the other --solver.",
    ),
    "cli.coverage": (
        "目标值 {objective}；全区覆盖率 {coverage}（现状 {today}）；"
        "最低网格 {lowest}；{unreachable} 个网格在服务半径外",
        "objective {objective}; district coverage {coverage} (today {today}); "
        "lowest grid {lowest}; {unreachable} grids out of reach",
    ),
    "cli.resources": (
        "人员 {staff}，经费 {funds} 元，调动 {transfers} 人；总用时 {seconds} 秒",
        "staff {staff}, funds {funds} CNY, transfers {transfers}; total time {seconds} s",
    ),
    "cli.wrote": ("已将 {files} 写入 {out}", "wrote {files} to {out}"),
    "cli.feasible": (
        "{status}：求解在时限内停止，以下为找到的最好整数方案（退出码 3）。"
        "延长 --time-limit 可缩小差距。",
        "{status}: the solve stopped at the time limit; below is the best whole-number "
        "plan found (exit code 3). A longer --time-limit narrows the gap.",
    ),
    "wi.change_note": (
        "与现状相比：调整的中心数、各中心人员变动与经费变动之和（调出与调入各计一次）。",
        "Against today: centers whose staff or funds change, and the changes summed over "
        "centers (a transfer counts where it leaves and where it arrives).",
    ),
    "wi.changes_only": ("只显示有调整的中心", "Only centers that change"),
    "col.moved_staff": ("人员变动合计（人）", "Staff changes, summed"),
    "col.moved_funds_cny": ("经费变动合计（元）", "Funds changes, summed (CNY)"),
    "col.centers_changed": ("调整的中心数", "Centers changed"),
    "col.lowest_share": ("最低覆盖份额 t", "Lowest share t"),
    # ----- reliability: time limits, the scenario store -----
    "ov.baseline_time_limit": (
        "现状覆盖率未能在 {seconds} 秒的求解时限内算完，因此暂不显示；其他指标完整。"
        '如需计算，请在数据集的 scenario.toml 中调大 time_limit_s（或设为 "none" 不限时）。',
        "Coverage today was not finished in {seconds} s (the solver's time limit), so it is "
        "not shown; the other figures are complete. To compute it, raise time_limit_s in the "
        'dataset\'s scenario.toml (or set it to "none" for no limit).',
    ),
    "ov.baseline_not_optimal": (
        "暂时无法计算现状覆盖率（{status}：{detail}）。其他指标不受影响。",
        "Coverage today could not be computed ({status}: {detail}). "
        "The other figures are unaffected.",
    ),
    "sf.time_limit": ("最长计算时间（秒）", "Longest solver time (s)"),
    "store.damaged": (
        "方案文件 {path} 已损坏或不是方案文件，无法读取（{detail}）。该文件保持原样，未做任何改动。"
        "请从备份恢复该文件，或将其移走（例如改名），应用会新建一个空的方案文件。",
        "The scenario file {path} is damaged or is not a scenario file and cannot be read "
        "({detail}). It was left exactly as it is. Restore it from a backup, or move it away "
        "(e.g. rename it) and the app will start a new, empty one.",
    ),
    "store.read_only": (
        "方案文件夹 {folder} 为只读：可以查看、比较和导出已保存的方案，但不能保存、重命名或删除。"
        "请向管理员申请该文件夹的写入权限，或将 GOVOPT_HOME 设为可写的文件夹。",
        "The scenario folder {folder} is read-only: saved scenarios can be listed, compared "
        "and exported, but not saved, renamed or deleted. Ask your administrator for write "
        "access to it, or set GOVOPT_HOME to a writable folder.",
    ),
    "store.busy": (
        "方案文件 {path} 正忙（另一次保存耗时较长），未做任何改动。请稍后重试。",
        "The scenario file {path} is busy (another save is taking long); nothing was "
        "changed. Try again in a moment.",
    ),
    "store.full": (
        "存放方案文件 {path} 的磁盘已满，未做任何改动。请清理磁盘空间后重试。",
        "The disk holding the scenario file {path} is full; nothing was changed. "
        "Free some space and try again.",
    ),
    "store.unavailable": (
        "无法打开方案文件 {path}（{detail}），未做任何改动。请检查该文件和 GOVOPT_HOME 文件夹。",
        "The scenario file {path} cannot be opened ({detail}); nothing was changed. "
        "Check the file and the GOVOPT_HOME folder.",
    ),
    "scenario_problem.bad_time_limit": (
        'time_limit_s 为 {value}：请填大于 0 的秒数，或填 "none" 表示不限时',
        'time_limit_s is {value}: use a number of seconds above 0, or "none" for no limit',
    ),
    "cli.sample_not_empty": (
        "{out} 不是空文件夹（{files}），未写入任何文件。请换一个新的或空的文件夹，"
        "或加 --force 替换其中的数据集文件（同名文件被样例覆盖，另一种工单文件被删除）。",
        "{out} is not empty ({files}); nothing was written. Choose a new or empty folder, "
        "or add --force to replace the dataset files in it (the sample's files overwrite "
        "those of the same names and the other kind of work-order file is deleted).",
    ),
    "cli.sample_is_file": (
        "{out} 是文件而不是文件夹：请换一个新的或空的文件夹。",
        "{out} is a file, not a folder: choose a new or empty folder.",
    ),
    "cli.sample_unreadable": (
        "无法查看 {out}（{reason}）：请换一个文件夹。",
        "cannot look into {out} ({reason}): choose another folder.",
    ),
    "cli.removed_stale": (
        "已从 {out} 删除上次运行留下的 {files}",
        "removed {files} of an earlier run from {out}",
    ),
    "cli.not_optimal_limit": (
        "在 {seconds} 秒的时间限制内未求得最优解（{status}）；只写入了 summary.json。"
        "请加长 --time-limit（或 --time-limit none 不限时），或换用另一个 --solver。",
        "no optimal plan ({status} within the time limit of {seconds} s); nothing but "
        "summary.json was written. Try a longer --time-limit (or --time-limit none) or "
        "the other --solver.",
    ),
    "cli.write_failed": (
        "无法将方案写入 {out}（{reason}）。请换一个 --out 文件夹或清理磁盘空间后重新求解。",
        "cannot write the plan to {out} ({reason}). Choose another --out folder or free "
        "some space, then solve again.",
    ),
    "cli.today_unknown": ("未知：现状求解未完成", "unknown: its solve did not finish"),
    # ----- problems in input: problem.<code>[.<variant>] and its .fix -----
    "problem.at_row": ("第{row}行", "row {row}"),
    "problem.at_column": ("列 {column}", "column {column}"),
    "problem.sep": ("，", ", "),
    "problem.rows": ("（共{count}行：第{rows}行）", " ({count} row(s): {rows})"),
    "problem.unknown": ("数据问题 {code}（{values}）", "data problem {code} ({values})"),
    "report.severity.error": ("错误", "ERROR"),
    "report.severity.warning": ("警告", "WARNING"),
    "report.severity.info": ("提示", "INFO"),
    "report.errors.one": ("{n}个错误", "{n} error"),
    "report.errors.other": ("{n}个错误", "{n} errors"),
    "report.warnings.one": ("{n}个警告", "{n} warning"),
    "report.warnings.other": ("{n}个警告", "{n} warnings"),
    "report.summary": ("{errors}，{warnings}", "{errors}, {warnings}"),
    "report.none": ("未发现问题", "no problems found"),
    "error.not_found": ("找不到文件或文件夹：{name}", "file or folder not found: {name}"),
    "error.permission": ("没有读写 {name} 的权限", "no permission to read or write {name}"),
    "error.memory": (
        "内存不足，无法处理该数据；请缩小区域或减少网格数",
        "not enough memory for this input; try a smaller area or fewer grids",
    ),
    "problem.file_too_large": (
        "文件大小为{size} MB，超过{limit} MB上限",
        "the file is {size} MB, over the {limit} MB limit",
    ),
    "problem.file_too_large.fix": (
        "请拆分文件、删除无用列，或压缩为 .csv.gz",
        "split it, remove unused columns, or compress it as .csv.gz",
    ),
    "problem.unreadable_file": ("无法读取该文件（{why}）", "the file cannot be read ({why})"),
    "problem.unreadable_file.fix": (
        "请用原软件重新保存，或改用模板填写",
        "save it again from the original program, or replace it with the template",
    ),
    "problem.unreadable_file.zip": (
        "无法读取该文件（zip压缩包已损坏：{why}）",
        "the file cannot be read (broken zip archive: {why})",
    ),
    "problem.unreadable_file.toml": (
        "无法读取该文件（TOML格式有误：{why}）",
        "the file cannot be read (broken TOML: {why})",
    ),
    "problem.unreadable_file.not_utf8": (
        "无法读取该文件（不是UTF-8文本）",
        "the file cannot be read (not UTF-8 text)",
    ),
    "problem.unreadable_file.no_geometry": (
        "无法读取该文件（未找到几何图形）",
        "the file cannot be read (no geometry found)",
    ),
    "problem.unreadable_file.plan": ("无法读取（{why}）", "cannot be read ({why})"),
    "problem.unreadable_file.plan.fix": (
        "请用 govopt solve 重新生成该文件",
        "write it again",
    ),
    "problem.empty_file": ("文件为空", "the file is empty"),
    "problem.empty_file.fix": (
        "请填写表头和数据；可选文件可直接删除",
        "fill in the header row and the data, or delete the file if it is optional",
    ),
    "problem.empty_file.no_grids": ("文件中没有网格", "the file has no grids"),
    "problem.empty_file.no_grids.fix": ("请为每个网格添加一个要素", "add one feature per grid"),
    "problem.not_csv.excel": (
        "这是Excel或压缩文件，不是CSV文本",
        "this is an Excel or zip file, not CSV text",
    ),
    "problem.not_csv.excel.fix": (
        "请另存为CSV（UTF-8），或改扩展名为 .xlsx",
        "save it as CSV (UTF-8), or rename it to .xlsx",
    ),
    "problem.not_csv.binary": ("文件是二进制内容，不是CSV文本", "the file is binary, not CSV text"),
    "problem.not_csv.binary.fix": (
        "请在Excel或WPS中另存为CSV（UTF-8）",
        "save it as CSV (UTF-8) from Excel or WPS",
    ),
    "problem.bad_encoding": (
        "文本编码既不是UTF-8也不是GB18030",
        "the text encoding is neither UTF-8 nor GB18030",
    ),
    "problem.bad_encoding.fix": (
        "请在Excel或WPS中另存为“CSV UTF-8”",
        "save it as 'CSV UTF-8' in Excel or WPS",
    ),
    "problem.duplicate_column": (
        "列 {column} 出现了多次",
        "column {column} appears more than once",
    ),
    "problem.duplicate_column.fix": (
        "只保留一个同名列，删除其余列",
        "keep one column of that name and delete the others",
    ),
    "problem.bad_row_length": (
        "{n}行的值个数与表头不符（首个：{actual}个值，表头{expected}列），已跳过",
        "{n} row(s) have the wrong number of values "
        "(first: {actual} values, header has {expected}); they were skipped",
    ),
    "problem.bad_row_length.fix": (
        "请检查这些行是否多了逗号或缺少单元格；含逗号的文本请加引号",
        "check for extra commas or missing cells in those rows; quote text with commas",
    ),
    "problem.several_files": (
        "同一张表有多个文件；使用 {used}，忽略 {ignored}",
        "several files hold this table; {used} is used and {ignored} ignored",
    ),
    "problem.several_files.fix": (
        "请删除 {ignored}，以免混淆",
        "delete {ignored} to avoid confusion",
    ),
    "problem.missing_file": ("缺少必需文件：{file}", "required file missing: {file}"),
    "problem.missing_file.fix": (
        "请补充该文件（可在“数据”页下载模板，或参考 `govopt sample` 生成的样例）",
        "add the file (download the templates from the Data page or `govopt sample`)",
    ),
    "problem.missing_file.grids": (
        "缺少必需文件：grids.geojson（或 grids.gpkg、Shapefile压缩包 grids.zip）",
        "required file missing: grids.geojson (or grids.gpkg, or a zipped Shapefile grids.zip)",
    ),
    "problem.missing_file.plan": ("在 {folder} 中找不到该文件", "not found in {folder}"),
    "problem.missing_file.plan.fix": (
        "请指定 `govopt solve ... --out OUT_DIR` 写出的文件夹",
        "pass the folder written by `govopt solve ... --out OUT_DIR`",
    ),
    "problem.missing_folder": ("找不到文件夹：{path}", "folder not found: {path}"),
    "problem.missing_folder.fix": (
        "请检查路径，或用 `govopt sample OUT_DIR` 生成样例数据",
        "check the path, or create a dataset with `govopt sample OUT_DIR`",
    ),
    "problem.not_a_folder": (
        "这是一个文件，不是数据文件夹或 .zip 压缩包",
        "this is a file, not a dataset folder or .zip",
    ),
    "problem.not_a_folder.fix": (
        "请指定包含 grids.geojson、centers.csv、standards.csv 的文件夹",
        "give the folder that holds grids.geojson, centers.csv and standards.csv",
    ),
    "problem.bad_datetime": ("不是有效的日期时间", "not a date and time"),
    "problem.bad_datetime.fix": (
        "请按 2024-03-01 08:30:00 的格式填写",
        "write dates as 2024-03-01 08:30:00",
    ),
    "problem.not_a_number": ("不是数字", "not a number"),
    "problem.not_a_number.fix": (
        "请填写纯数字，如 1200（不带单位和千分位逗号）",
        "write plain numbers such as 1200 (no units, no thousands separators)",
    ),
    "problem.not_a_number.plan": ("该值不是数字", "the value is not a number"),
    "problem.not_a_number.plan.fix": ("请填写比例，如 0.85", "use a share such as 0.85"),
    "problem.not_whole": ("不是整数", "not a whole number"),
    "problem.not_whole.fix": ("人数、户数请填写整数", "use whole numbers for counts"),
    "problem.below_minimum": ("数值小于{minimum:,}", "value below {minimum:,}"),
    "problem.below_minimum.negative": ("数值为负数", "negative value"),
    "problem.below_minimum.fix": (
        "请填写不小于{minimum:,}的数值",
        "use values of at least {minimum:,}",
    ),
    "problem.above_maximum": ("数值大于{maximum:,}", "value above {maximum:,}"),
    "problem.above_maximum.fix": (
        "请填写不大于{maximum:,}的数值",
        "use values of at most {maximum:,}",
    ),
    "problem.empty_cell": ("单元格为空", "empty cell"),
    "problem.empty_cell.fix": ("请在每一行填写 {column}", "fill in {column} in every row"),
    "problem.not_allowed": ("未知取值 {values}", "unknown value {values}"),
    "problem.not_allowed.fix": ("请使用以下取值之一：{allowed}", "use one of: {allowed}"),
    "problem.duplicate_id": ("编号重复 {values}", "duplicate id {values}"),
    "problem.duplicate_id.fix": ("请保证每行的 {column} 唯一", "give every row its own {column}"),
    "problem.missing_column": (
        "缺少必需列 {column}（现有列：{found}）",
        "required column {column} is missing (columns found: {found})",
    ),
    "problem.missing_column.fix": (
        "请在 {file} 中添加名为 {column} 的列（参见模板）",
        "add a column named exactly {column} to {file} (see the template)",
    ),
    "problem.missing_column.none": (
        "缺少必需列 {column}（未找到任何列）",
        "required column {column} is missing (no columns found)",
    ),
    "problem.missing_column.plan": ("缺少该列", "the column is missing"),
    "problem.missing_column.plan.fix": (
        "请添加“{column}”列（与 govopt solve 写出的一致）",
        "add a '{column}' column (as written by govopt solve)",
    ),
    "problem.swapped_lonlat": ("{xcol} 与 {ycol} 似乎填反了", "{xcol} and {ycol} look swapped"),
    "problem.swapped_lonlat.fix": (
        "经度（73-135）填在 {xcol}，纬度（4-54）填在 {ycol}",
        "put longitude (73-135) in {xcol} and latitude (4-54) in {ycol}",
    ),
    "problem.outside_china": ("位置不在中国境内", "location outside China"),
    "problem.outside_china.fix": (
        "请核对坐标，使用WGS84经纬度（如 117.5, 36.7）",
        "check the coordinates; use WGS84 degrees (e.g. 117.5, 36.7)",
    ),
    "problem.empty_geometry": ("面几何为空或缺失", "empty or missing polygon"),
    "problem.empty_geometry.fix": (
        "请绘制网格边界，或删除该行",
        "draw the grid boundary, or remove the row",
    ),
    "problem.not_polygon": ("不是面几何（{kinds}）", "not a polygon ({kinds})"),
    "problem.not_polygon.fix": (
        "每个网格须为面（Polygon或MultiPolygon）",
        "each grid must be a Polygon or MultiPolygon boundary",
    ),
    "problem.repaired_geometry": (
        "网格 {grid}：面几何无效（自相交），已自动修复",
        "grid {grid}: invalid polygon (self-intersection) repaired automatically",
    ),
    "problem.repaired_geometry.fix": (
        "请在地图上核对边界；在GIS软件中修正后此提示即消失",
        "check the boundary on the map; fix it in your GIS to silence this warning",
    ),
    "problem.invalid_geometry": (
        "网格 {grid}：面几何无效，无法安全自动修复",
        "grid {grid}: invalid polygon that cannot be repaired safely",
    ),
    "problem.invalid_geometry.fix": (
        "请在GIS软件中重绘边界（如QGIS“修复几何”）",
        "redraw the boundary in your GIS (e.g. QGIS 'Fix geometries')",
    ),
    "problem.missing_crs": (
        "网格数据没有坐标参考系（CRS）",
        "the grids have no coordinate reference system (CRS)",
    ),
    "problem.missing_crs.fix": (
        "请设置坐标系，如 EPSG:4326 或 EPSG:4490（CGCS2000）",
        "set the CRS, e.g. EPSG:4326 or EPSG:4490 (CGCS2000)",
    ),
    "problem.unknown_crs": (
        "无法识别的坐标系（{name}）",
        "unknown coordinate reference system ({name})",
    ),
    "problem.unknown_crs.fix": (
        "请设置坐标系，如 EPSG:4326 或 EPSG:4490（CGCS2000）",
        "set the CRS, e.g. EPSG:4326 or EPSG:4490 (CGCS2000)",
    ),
    "problem.elderly_over_residents": (
        "60岁以上人口多于常住人口",
        "more elderly residents than residents",
    ),
    "problem.elderly_over_residents.fix": (
        "请核对常住人口和老年人口；老年人口是常住人口的一部分",
        "check residents and elderly; elderly counts residents aged 60+",
    ),
    "problem.unknown_category": (
        "类别不在 standards.csv 中：{values}",
        "category not in standards.csv: {values}",
    ),
    "problem.unknown_category.fix": (
        "请在 standards.csv 中补充该类别，或使用：{categories}",
        "add the category to standards.csv or use one of: {categories}",
    ),
    "problem.closed_before_created": ("办结时间早于创建时间", "closed before it was created"),
    "problem.closed_before_created.fix": (
        "请核对这些工单的创建和办结时间",
        "check created_at and closed_at of these orders",
    ),
    "problem.unknown_grid.orders": (
        "工单所属网格不在网格文件中（{values}），这些行不参与计算",
        "work orders of grids not in the grids file ({values}); these rows are left out",
    ),
    "problem.unknown_grid.orders.fix": (
        "请更正 grid_id 或补充这些网格",
        "correct the grid_id or add the grids",
    ),
    "problem.unknown_grid.survey": (
        "调查的网格不在网格文件中",
        "survey of a grid not in the grids file",
    ),
    "problem.unknown_grid.survey.fix": (
        "请更正 grid_id 或删除该行",
        "correct the grid_id or remove the row",
    ),
    "problem.bad_scenario": ("场景文件有误：{detail}", "{detail}"),
    "problem.bad_scenario.fix": (
        "请修改 scenario.toml（参见文档中的示例）",
        "edit scenario.toml (see the example in the documentation)",
    ),
    "problem.empty_table.centers": (
        "文件没有数据行：没有服务中心",
        "the file has no rows: no centers",
    ),
    "problem.empty_table.centers.fix": ("请为每个服务中心添加一行", "add one row per center"),
    "problem.empty_table.standards": (
        "文件没有数据行：没有服务类别",
        "the file has no rows: no service categories",
    ),
    "problem.empty_table.standards.fix": (
        "请为每个服务类别添加一行",
        "add one row per service category",
    ),
    "problem.unexpected": (
        "无法检查该数据（{error}）",
        "the dataset could not be checked ({error})",
    ),
    "problem.unexpected.fix": (
        "请确认每个文件都能在Excel或QGIS中打开，然后重试",
        "check that every file opens in Excel or QGIS, then try again",
    ),
    "problem.too_large": (
        "上传内容为 {size} MB，上限为 {limit} MB",
        "the upload is {size} MB; the limit is {limit} MB",
    ),
    "problem.too_large.fix": (
        "请上传较小的文件：删去应用不需要的文件（照片、备份），或按区域拆分",
        "upload a smaller file: remove files the app does not need "
        "(photos, backups) or split the district",
    ),
    "problem.bad_file_name.characters": (
        "文件名含无法使用的字符",
        "the file name has characters the app cannot use",
    ),
    "problem.bad_file_name.suffix": (
        "此类文件不属于数据集（可用：{suffixes}）",
        "files of this kind are not part of a dataset (use {suffixes})",
    ),
    "problem.bad_file_name.too_many": (
        "压缩包含 {n} 个文件，最多允许 {limit} 个",
        "the zip holds {n} files; at most {limit} are allowed",
    ),
    "problem.bad_file_name.too_many.fix": (
        "压缩包中只保留数据集的文件",
        "keep only the dataset's files in the zip",
    ),
    "problem.bad_file_name.outside": (
        "压缩包中的条目指向数据集文件夹之外",
        "the zip entry points outside the dataset folder",
    ),
    "problem.bad_file_name.twice": ("该文件上传了两次", "this file was uploaded twice"),
    "problem.bad_file_name.fix": (
        "请把文件改为简单的名称（如 centers.csv），或不上传该文件",
        "rename the file to a plain name such as centers.csv, or leave it out",
    ),
    "problem.bad_zip": ("该文件不是可读取的 zip 压缩包", "this is not a readable zip file"),
    "problem.bad_zip.fix": (
        "请重新压缩数据集文件夹（如右键 > 发送到 > 压缩文件夹）",
        "zip the dataset folder again (e.g. right-click > Send to > Compressed folder)",
    ),
    "problem.no_files": ("没有上传文件", "no file was uploaded"),
    "problem.no_files.fix": (
        "请选择数据集文件夹的 zip 压缩包或其中的文件",
        "choose a zip of the dataset folder or its files",
    ),
    "problem.file_too_large.unpacked": (
        "文件解压后超过{limit} MB",
        "the file unpacks to more than {limit} MB",
    ),
    "problem.file_too_large.unpacked.fix": (
        "请拆分为较小的文件，或删除无用列",
        "split it into smaller files or remove unused columns",
    ),
    "problem.big5_text": (
        "文本似乎是Big5编码（繁体中文），无法正确读取",
        "the text looks like Big5 (traditional Chinese), which cannot be read correctly",
    ),
    "problem.big5_text.fix": (
        "请在Excel或WPS中另存为“CSV UTF-8”",
        "save it as 'CSV UTF-8' in Excel or WPS",
    ),
    "problem.nul_character": (
        "文本中含有不可见的空字符（字节0）",
        "the text holds an invisible NUL character (byte 0)",
    ),
    "problem.nul_character.fix": (
        "请删除该字符（常由从其他软件复制带入），或重新另存为CSV UTF-8",
        "delete the character (often left by copying from another program), "
        "or save the file again as CSV UTF-8",
    ),
    "problem.default_used": (
        "单元格为空，按默认值 {default} 计算",
        "empty cell; the default {default} is used",
    ),
    "problem.default_used.fix": (
        "如默认值不适用于这些行，请填写 {column}",
        "fill in {column} where the default does not fit",
    ),
    "problem.staff_over_max": (
        "现有人员（staff）多于最大可容纳人数（max_staff），任何方案都须将多出的人员调出",
        "today's staff are more than max_staff; every plan must move the extra staff elsewhere",
    ),
    "problem.staff_over_max.fix": (
        "请核对这些中心的 staff 与 max_staff",
        "check staff and max_staff of these centers",
    ),
    "problem.bad_file_name.too_long": (
        "名称超过{limit}字节",
        "the name is longer than {limit} bytes",
    ),
    "problem.bad_file_name.too_deep": (
        "压缩包条目位于第{depth}层文件夹，最多允许{limit}层",
        "the zip entry is {depth} folders deep; at most {limit} are allowed",
    ),
    "problem.bad_file_name.too_deep.fix": (
        "请直接压缩数据集文件夹，文件不要嵌套过多层",
        "zip the dataset folder itself, with its files at most a few folders deep",
    ),
    "problem.bad_file_name.duplicate": (
        "压缩包中该条目出现了多次",
        "the zip holds this entry more than once",
    ),
    "problem.bad_file_name.duplicate.fix": (
        "请重新压缩，使每个文件只出现一次",
        "zip the folder again so that each file is in it once",
    ),
    "problem.too_many_files": (
        "选择了{n}个文件，逐个上传最多{limit}个",
        "{n} files were chosen; at most {limit} can be uploaded one by one",
    ),
    "problem.too_many_files.fix": (
        "请改为上传数据集文件夹的 zip 压缩包",
        "upload a zip of the dataset folder instead",
    ),
    "problem.zip_encrypted": ("压缩包条目设有密码", "the zip entry is protected by a password"),
    "problem.zip_encrypted.fix": (
        "请不设密码重新压缩数据集文件夹",
        "zip the dataset folder again without a password",
    ),
    "problem.zip_compression": (
        "压缩包条目使用了无法解压的压缩方式（方式 {method}）",
        "the zip entry uses a compression method the app cannot unpack (method {method})",
    ),
    "problem.zip_compression.fix": (
        "请用常规方式重新压缩（如右键 > 发送到 > 压缩文件夹）",
        "zip the folder again the usual way (e.g. right-click > Send to > Compressed folder)",
    ),
    "problem.zip_member_broken": (
        "压缩包条目无法解压（{why}）",
        "the zip entry cannot be unpacked ({why})",
    ),
    "problem.zip_member_broken.fix": (
        "请重新压缩数据集文件夹，并确认其中的文件能在本机打开",
        "zip the dataset folder again and check that its files open on your computer",
    ),
    "problem.upload_not_saved": (
        "上传内容无法保存（{why}）",
        "the upload could not be saved ({why})",
    ),
    "problem.upload_not_saved.fix": (
        "请重试；如仍失败，请联系管理员检查数据目录的磁盘空间",
        "try again; if it keeps failing, ask your administrator to check the disk of the "
        "data folder",
    ),
    # ----- WISN and why a grid is below target -----
    "col.workload_hours": ("负责网格需求时长", "Workload (hours)"),
    "col.wisn_need": ("WISN需配人员", "WISN staff needed"),
    "col.wisn_ratio_before": ("现状WISN比", "WISN ratio today"),
    "col.wisn_ratio_after": ("方案WISN比", "WISN ratio in the plan"),
    "col.cause": ("原因", "Cause"),
    "col.unmet_hours": ("缺口时长", "Unmet hours"),
    "col.best_center": ("增1人的中心", "Center for one more staff"),
    "col.one_more_gain": ("增1人覆盖率最多提高", "One more staff: coverage up to +"),
    "why.title": ("未达覆盖目标的网格（按原因）", "Grids below target, by cause"),
    "why.none": (
        "所有有服务需求的网格都达到覆盖目标 {target}。",
        "Every grid with demand reaches the coverage target of {target}.",
    ),
    "why.summary": (
        "{n} 个网格未达覆盖目标 {target}。",
        "{n} grids are below the coverage target of {target}.",
    ),
    "why.upper_bound": (
        "“增1人”是上限估计：新增人员的工时也可能用于其他网格。",
        "'One more staff' is an upper bound: the new hours may also go to other grids.",
    ),
    "why.cause.no_center_in_reach": ("服务半径内没有中心", "No center within reach"),
    "why.cause.centers_full": ("可达中心已满负荷且达人员上限", "Centers in reach are full"),
    "why.cause.budget_binds": ("可达中心可增员，但预算已用完", "Budget used up"),
    "why.cause.served_elsewhere": ("可达中心工时用于其他网格", "Hours go to other grids"),
    "why.explain.no_center_in_reach": (
        "没有任何中心的服务半径（按层级）覆盖本网格。",
        "No center's service radius (by level) reaches this grid.",
    ),
    "why.explain.centers_full": (
        "覆盖本网格的 {n} 个中心工时已全部用完，且人员均已达上限。",
        "All {n} centers that reach this grid use every hour they have and are at "
        "their staff maximum.",
    ),
    "why.explain.budget_binds": (
        "覆盖本网格的中心工时已用完、还可增加人员，但人员预算已用完。",
        "The centers that reach this grid use every hour and could take more staff, "
        "but the staff budget is used up.",
    ),
    "why.explain.served_elsewhere": (
        "覆盖本网格的中心仍有空余工时或增员空间，本方案的目标把它们用于其他网格。",
        "A center that reaches this grid has spare hours or room for staff; the plan's "
        "objective spends them on other grids.",
    ),
    "why.coverage": (
        "覆盖率 {coverage}（目标 {target}），缺口 {hours} 小时/年。",
        "Coverage {coverage} (target {target}); {hours} hours a year unmet.",
    ),
    "why.center_load": (
        "{name}（{level}，{distance} 米）：负荷 {load}，人员 {staff} / 上限 {max_staff}",
        "{name} ({level}, {distance} m): load {load}, staff {staff} of at most {max_staff}",
    ),
    "why.one_more": (
        "在{name}增加1名工作人员，本网格覆盖率最多提高 {gain} 个百分点（上限估计）。",
        "One more staff member at {name} raises this grid's coverage by at most {gain} "
        "percentage points (an upper bound).",
    ),
    "why.no_one_more": (
        "可达中心都已达人员上限，增加1名工作人员无处安排。",
        "No center in reach has room for one more staff member.",
    ),
    "why.meets_target": (
        "本网格在当前方案下达到覆盖目标 {target}（或没有服务需求）。",
        "This grid reaches the coverage target of {target} under the plan (or has no demand).",
    ),
    "why.solve_first": (
        "在情景推演页面求解方案后，这里会说明网格未达目标的原因。",
        "Solve a plan on the what-if page to see here why a grid falls short of the target.",
    ),
    "why.details": ("对照覆盖目标", "Against the coverage target"),
    "why.pick_grid": ("或选择网格", "Or pick a grid"),
    "wi.previous_settings": (
        "下方方案按上一次求解的设置（“{name}”）计算，与表单中的设置不同。"
        "点击“求解”得到表单设置下的方案。",
        "The plan below is for the previous settings ('{name}'), not for the settings "
        "in the form. Press Solve to get the plan for the form's settings.",
    ),
    "url.unknown_data": (
        "网址中的数据集“{name}”不存在（可能已被删除），已改用内置数据。"
        "请在“数据”页上传或选择数据集。",
        "The dataset '{name}' named in the address is not known here (it may have been "
        "removed); the bundled data is used instead. Upload or pick a dataset on the "
        "Data page.",
    ),
    "sc.times_in": ("保存时间为 {zone} 时间。", "Save times are in {zone} time."),
    "sc.unknown_zone": (
        "GOVOPT\\_TZ 设置的时区“{name}”无法识别，已使用 {zone}。"
        "请设为 Asia/Shanghai 这样的时区名称。",
        "The time zone '{name}' set in GOVOPT\\_TZ is not known; {zone} is used. "
        "Set a zone name such as Asia/Shanghai.",
    ),
    "sc.deleted": ("已删除“{name}”。", "Deleted '{name}'."),
    "sc.same_name": ("名称未改变。", "The name is unchanged."),
    "sc.rename_taken": (
        "已有名为“{name}”的方案，请换一个名称。",
        "A scenario called '{name}' is already saved: choose another name.",
    ),
    "sc.rename_no_name": ("新名称为空，请输入名称。", "The new name is empty: type a name."),
    "sc.gone": (
        "方案“{name}”已不存在（可能已在其他窗口中删除或重命名）。",
        "The scenario '{name}' is no longer saved (it may have been deleted or renamed "
        "in another window).",
    ),
    # ----- planner-ready exports: Excel workbook, printable report -----
    "out.sheet.summary": ("概要", "Summary"),
    "out.sheet.centers": ("中心", "Centers"),
    "out.sheet.grids": ("网格", "Grids"),
    "out.sheet.streets": ("街道", "Streets"),
    "out.title": ("资源配置方案：{name}", "Resource plan: {name}"),
    "out.dataset": ("数据集", "Dataset"),
    "out.generated": ("生成时间（北京时间）", "Generated (Beijing time)"),
    "out.status": ("求解状态", "Solver status"),
    "out.objective_value": ("目标函数值", "Objective value"),
    "out.settings": ("方案设置", "Scenario settings"),
    "out.kpis": ("主要指标：现状与方案", "Key figures: today and in the plan"),
    "out.kpi": ("指标", "Figure"),
    "out.today": ("现状", "Today"),
    "out.plan": ("方案", "Plan"),
    "out.change": ("变化", "Change"),
    "out.today_unknown": (
        "现状数值未知：现状求解未完成。",
        "Today's figures are unknown: their solve did not finish.",
    ),
    "out.below_target": (
        "未达覆盖目标的网格（按原因）",
        "Grids below the coverage target, by cause",
    ),
    "out.marginal": ("边际价值", "Marginal values"),
    "out.why_not": ("未得到方案的原因", "Why there is no plan"),
    "out.yes": ("是", "yes"),
    "out.no": ("否", "no"),
    "out.no_limit": ("不限", "no limit"),
    "out.unit.persons": ("{n} 人", "{n} persons"),
    "out.unit.cny": ("{n} 元", "{n} CNY"),
    "out.unit.metres": ("{n} 米", "{n} m"),
    "out.unit.hours": ("{n} 小时/年", "{n} hours/year"),
    "out.unit.cny_per_hour": ("{n} 元/小时", "{n} CNY/hour"),
    "out.unit.seconds": ("{n} 秒", "{n} s"),
    "out.set.staff_total": ("工作人员总数上限", "Staff in total (at most)"),
    "out.set.funds_total": ("经费总额上限", "Funds in total (at most)"),
    "out.set.max_transfers": ("最多调动人数", "Staff transfers (at most)"),
    "out.set.radius": ("{level}服务半径", "Service radius, {level}"),
    "out.set.min_staff": ("{level}最少工作人员", "Minimum staff, {level}"),
    "out.set.coverage_target": ("覆盖率目标", "Coverage target"),
    "out.set.work_hours": ("每人年工作时长", "Work hours per staff member"),
    "out.set.cost_per_hour": ("购买服务单价", "Purchased service price"),
    "out.set.wage": ("人均年薪酬", "Yearly cost per staff member"),
    "out.set.solver": ("求解器", "Solver"),
    "out.set.time_limit": ("最长计算时间", "Longest solver time"),
    "out.level.street": ("街道", "street"),
    "out.level.community": ("社区", "community"),
    "out.level.grid": ("网格站", "grid station"),
    "out.kpi.coverage": ("全区覆盖率（%）", "District coverage (%)"),
    "out.kpi.min_coverage": ("最低网格覆盖率（%）", "Lowest grid coverage (%)"),
    "out.kpi.grids_below_target": ("未达目标网格（个）", "Grids below target"),
    "out.kpi.unreachable_grids": ("服务半径外网格（个）", "Grids out of reach"),
    "out.kpi.coverage_gini": ("覆盖基尼系数", "Coverage Gini coefficient"),
    "out.kpi.staff_used": ("工作人员（人）", "Staff (persons)"),
    "out.kpi.funds_used_cny": ("经费（元）", "Funds (CNY)"),
    "out.kpi.demand_hours": ("服务需求（小时/年）", "Demand (hours/year)"),
    "out.kpi.served_hours": ("已服务时长（小时/年）", "Served (hours/year)"),
    "out.kpi.staff_transfers": ("调出人数（人）", "Staff transferred out (persons)"),
    "out.kpi.moved_staff": ("工作人员变动合计（人）", "Staff changes, summed (persons)"),
    "out.kpi.moved_funds_cny": ("经费变动合计（元）", "Funds changes, summed (CNY)"),
    "out.kpi.centers_changed": ("调整的中心（个）", "Centers changed"),
    "out.kpi.lowest_share": ("最低覆盖份额 t（%）", "Lowest share t (%)"),
    "out.col.center_id": ("中心编号", "Center ID"),
    "out.col.name": ("名称", "Name"),
    "out.col.level": ("层级", "Level"),
    "out.col.staff0": ("现有工作人员（人）", "Staff today (persons)"),
    "out.col.staff": ("方案工作人员（人）", "Staff in plan (persons)"),
    "out.col.staff_change": ("工作人员变化（人）", "Staff change (persons)"),
    "out.col.funds0_cny": ("现有经费（元）", "Funds today (CNY)"),
    "out.col.funds_cny": ("方案经费（元）", "Funds in plan (CNY)"),
    "out.col.funds_change": ("经费变化（元）", "Funds change (CNY)"),
    "out.col.staff_hours": ("工作人员服务时长（小时/年）", "Staff hours (hours/year)"),
    "out.col.purchased_hours": ("购买服务时长（小时/年）", "Purchased hours (hours/year)"),
    "out.col.org_hours": ("社会组织服务时长（小时/年）", "Social organization hours (hours/year)"),
    "out.col.served_hours": ("方案已服务时长（小时/年）", "Served in plan (hours/year)"),
    "out.col.served0_hours": ("现状已服务时长（小时/年）", "Served today (hours/year)"),
    "out.col.workload_hours": ("负责网格需求时长（小时/年）", "Workload (hours/year)"),
    "out.col.wisn_need": ("WISN需配工作人员（人）", "WISN staff needed (persons)"),
    "out.col.wisn_ratio_before": ("现状WISN比", "WISN ratio today"),
    "out.col.wisn_ratio_after": ("方案WISN比", "WISN ratio in plan"),
    "out.col.grid_id": ("网格编号", "Grid ID"),
    "out.col.street": ("街道/镇", "Street / town"),
    "out.col.priority": ("优先权重", "Priority weight"),
    "out.col.demand_hours": ("服务需求（小时/年）", "Demand (hours/year)"),
    "out.col.baseline_coverage": ("现状覆盖率（%）", "Coverage today (%)"),
    "out.col.coverage": ("方案覆盖率（%）", "Coverage in plan (%)"),
    "out.col.coverage_change": ("覆盖率变化（百分点）", "Coverage change (points)"),
    "out.col.unreachable": ("在服务半径外", "Out of reach"),
    "out.col.grids": ("网格数（个）", "Grids"),
    "out.col.residents": ("常住人口（人）", "Residents"),
    "out.col.centers": ("中心数（个）", "Centers"),
    "out.col.cause": ("原因", "Cause"),
    "out.points": ("{n} 个百分点", "{n} points"),
    "out.setting": ("设置项", "Setting"),
    "out.value": ("取值", "Value"),
    "out.dl_xlsx": ("下载方案（Excel，中文表头）", "Download the plan (Excel, English headers)"),
    "out.dl_report": ("下载打印版报告（HTML，A4）", "Download the printable report (HTML, A4)"),
    "out.dl_failed": ("无法生成该文件：{detail}", "This file cannot be made: {detail}"),
    "cli.wrote_xlsx": ("已写出 Excel 工作簿 {path}", "wrote the Excel workbook {path}"),
    "cli.plan_unusable": (
        "{path}：方案文件夹无法使用：",
        "{path}: the plan folder cannot be used:",
    ),
    "cli.plan_other_dataset": (
        "{plan} 中的方案不是在 {data} 上求得的（中心或网格不一致）：请使用在该数据集上 "
        "govopt solve 写出的文件夹",
        "the plan in {plan} was not solved on {data} (other centers or grids): use the folder "
        "that govopt solve wrote for this dataset",
    ),
    "cli.report_wrote": ("已写出报告 {out}（{kb} KB）", "wrote the report {out} ({kb} KB)"),
    "rep.title": ("资源配置方案报告：{name}", "Resource plan report: {name}"),
    "rep.print_hint": (
        "在浏览器中打印（Ctrl+P）即得A4版面；本页不需联网。",
        "Print from the browser (Ctrl+P) for A4 pages; the page needs no internet.",
    ),
    "rep.streets": ("各街道覆盖率：现状与方案", "Coverage by street: today and in the plan"),
    "rep.target": ("目标 {target}", "target {target}"),
    "rep.levels": ("各层级中心的工作人员与经费", "Staff and funds by center level"),
    "rep.funds_10k": ("经费（万元）", "Funds (10,000 CNY)"),
    "rep.map": ("方案覆盖率地图", "Coverage in the plan, by grid"),
    "rep.other_dataset": (
        "该方案不是在当前数据集上求得的：街道图、地图和未达标原因从略。",
        "The plan was not solved on this dataset: the street chart, the map and the causes "
        "are left out.",
    ),
    "rep.changed": ("变化最大的中心（前{n}个）", "Centers that change most (top {n})"),
    "rep.no_changes": ("没有中心的工作人员或经费发生变化。", "No center's staff or funds change."),
    "rep.below": ("未达覆盖目标的网格", "Grids below the coverage target"),
    "rep.below_none": (
        "所有有服务需求的网格均达到覆盖率目标 {target}。",
        "Every grid with demand reaches the coverage target of {target}.",
    ),
    "rep.below_count": (
        "共 {n} 个网格低于覆盖率目标 {target}。",
        "{n} grids are below the coverage target of {target}.",
    ),
    "rep.lowest": ("覆盖率最低的 {n} 个网格", "The {n} grids with the lowest coverage"),
    "rep.footer": (
        "由 govopt 生成。覆盖率 = 已服务时长 ÷ 服务需求时长；现状为现有人员和经费下的最优服务。",
        "Made with govopt. Coverage = served hours ÷ demand hours; today is the best service "
        "today's staff and funds can give.",
    ),
    # ----- whole-number staffing: time limit, cancel, feasible plans -----
    "status.feasible": ("可行（未证明最优）", "feasible, not proven optimal"),
    "status.feasible_gap": (
        "可行（未证明最优，差距 {gap}）",
        "feasible, not proven optimal (gap {gap})",
    ),
    "status.cancelled": ("已取消", "cancelled"),
    "status_note.feasible": (
        "这是在求解时限内找到的最好整数方案，其目标值与可证明的最优界相差不超过所示差距；"
        "延长求解时限可缩小差距。",
        "this is the best whole-number plan found within the time limit; its objective is "
        "within the gap shown of the best possible. Allow more time to narrow the gap",
    ),
    "status_note.cancelled": (
        "求解已取消，未生成新方案。",
        "the solve was cancelled; no new plan was made",
    ),
    "wi.stage.start": ("正在生成整数初始方案", "Rounding a first whole-number plan"),
    "wi.elapsed": ("{stage}（已用 {seconds} 秒）", "{stage} ({seconds} s so far)"),
    "wi.elapsed_limit": (
        "{stage}（已用 {seconds} 秒，时限 {limit} 秒）",
        "{stage} ({seconds} s of at most {limit} s)",
    ),
    "wi.cancel": ("取消求解", "Cancel"),
    "wi.cancelled": (
        "已取消求解，未生成新方案。",
        "The solve was cancelled; no new plan was made.",
    ),
    "wi.feasible": (
        "{label}：在求解时限内找到的最好整数方案，未证明为最优。",
        "{label}: the best whole-number plan found within the time limit, not proven optimal.",
    ),
    "note.start_lp_not_solved": (
        "连续松弛未在时限内求解，未能生成整数初始方案。",
        "The LP relaxation did not finish, so the search had no rounded first plan.",
    ),
    "note.start_rounding_failed": (
        "取整后无法同时满足人员预算、配置标准和调动上限，未使用整数初始方案。",
        "No rounding met the staff budget, norms and transfer limit together, so the "
        "search had no rounded first plan.",
    ),
    "note.start_completion_failed": (
        "取整后的人员配置无法满足其他约束，未使用整数初始方案。",
        "The rounded staffing left other rows unmet, so the search had no rounded first plan.",
    ),
    "note.start_infeasible": (
        "取整方案未通过约束检查，未使用整数初始方案。",
        "The rounded plan failed the row check, so the search had no rounded first plan.",
    ),
    "note.start_needs_highs": (
        "CBC 求解器不使用整数初始方案。",
        "The CBC solver does not use a rounded first plan.",
    ),
    "note.start_cancelled": ("求解已取消。", "The solve was cancelled."),
    # ----- marginal values (re-solved with one budget moved) -----
    "marginal.staff": (
        "一名额外工作人员可使全区覆盖率提高 {points} 个百分点（约 {hours} 小时/年）。",
        "One more staff member raises district coverage by {points} points "
        "(about {hours} hours a year).",
    ),
    "marginal.staff_zero": (
        "再增加一名工作人员不会提高全区覆盖率。",
        "One more staff member would not raise district coverage.",
    ),
    "marginal.funds": (
        "再增加1万元经费可使全区覆盖率提高 {points} 个百分点（约 {hours} 小时/年）。",
        "Another 10,000 CNY raises district coverage by {points} points "
        "(about {hours} hours a year).",
    ),
    "marginal.funds_zero": (
        "再增加1万元经费不会提高全区覆盖率。",
        "Another 10,000 CNY would not raise district coverage.",
    ),
    "marginal.transfers": (
        "多允许调动10人可使全区覆盖率提高 {points} 个百分点（约 {hours} 小时/年）。",
        "Allowing 10 more staff transfers raises district coverage by {points} points "
        "(about {hours} hours a year).",
    ),
    "marginal.transfers_zero": (
        "多允许调动10人不会提高全区覆盖率。",
        "Allowing 10 more staff transfers would not raise district coverage.",
    ),
    "marginal.lowest": (
        "同时，覆盖率最低的网格提高 {points} 个百分点。",
        "The lowest coverage of any grid rises by {points} points with it.",
    ),
    "marginal.center": (
        "第{rank}位：在{name}增加1名工作人员，全区覆盖率提高 {points} 个百分点"
        "（约 {hours} 小时/年）。",
        "#{rank}: one more staff member at {name} raises district coverage by {points} points "
        "(about {hours} hours a year).",
    ),
    "marginal.centers_none": (
        "在任何一个中心增加1名工作人员都不会提高覆盖率。",
        "One more staff member at any single center would not raise coverage.",
    ),
    "marginal.cost_up": (
        "每提高 1 个百分点的覆盖目标，成本增加约 {cny} 元。",
        "Raising the coverage target by 1 point costs about {cny} CNY more.",
    ),
    "marginal.cost_down": (
        "每降低 1 个百分点，成本减少约 {cny} 元。",
        "Lowering it by 1 point saves about {cny} CNY.",
    ),
    "marginal.cost_cannot_rise": (
        "覆盖目标无法再提高 1 个百分点：在现有预算和标准下没有可行方案。",
        "The coverage target cannot rise by 1 point: no plan meets it within the budgets "
        "and norms.",
    ),
    "marginal.integer": (
        "按整数配置人员时，不计算人员和调动的边际价值；经费和各中心的数值以方案人员为准。",
        "With whole-number staff, staff and transfers get no marginal value; funds and "
        "centers keep the plan's staff.",
    ),
    "marginal.integer_cost": (
        "按整数配置人员时，不计算覆盖目标的边际成本。",
        "With whole-number staff, the cost of a point of coverage target is not computed.",
    ),
    "marginal.partial": (
        "部分边际价值未能在时限内算出。",
        "Some marginal values could not be computed within the time limit.",
    ),
    "marginal.method": (
        "每项数值都是把相应预算增加后重新求解所得；各中心的数值假定其他中心的人员和经费按方案不变。",
        "Each value re-solves the plan with that budget raised; for a center, every other "
        "center keeps the plan's staff and funds.",
    ),
    # ----- charts, help texts, glossary, map legend -----
    "ch.title": ("图表", "Charts"),
    "ch.today": ("现状", "Today"),
    "ch.plan": ("方案", "Plan"),
    "ch.plan_a": ("A：{name}", "A: {name}"),
    "ch.plan_b": ("B：{name}", "B: {name}"),
    "ch.series": ("对比项", "Compared"),
    "ch.by_street": ("各街道覆盖率", "Coverage by street"),
    "ch.staff_by_level": ("各层级人员", "Staff by level"),
    "ch.level_street": ("街道中心", "Street"),
    "ch.level_community": ("社区中心", "Community"),
    "ch.level_grid": ("网格站", "Grid station"),
    "ch.funds_by_level": ("各层级经费", "Funds by level"),
    "ch.histogram": ("网格覆盖率分布", "Grids by coverage"),
    "ch.staff_axis": ("人员（人）", "Staff"),
    "ch.funds_axis": ("经费（万元）", "Funds (million CNY)"),
    "ch.coverage_band": ("覆盖率区间（%）", "Coverage band (%)"),
    "ch.grids_axis": ("网格数", "Grids"),
    "ch.note": (
        "街道覆盖率 = 该街道已服务时长 ÷ 需求时长；分布图只计有服务需求的网格，100% 计入最后一档。",
        "Street coverage = the street's served hours ÷ its demand hours; the distribution "
        "counts grids with demand only, 100% in the last band.",
    ),
    "help.staff_per_10k": (
        "每万名常住人口可获得的工作人员：各中心人员按其"
        "服务半径内的人口分摊，再把覆盖本网格的中心相加。",
        "Staff within reach per 10,000 residents: each center's staff shared over the residents "
        "within its radius, summed over the centers that reach the grid.",
    ),
    "help.wisn_today": (
        "负责本网格的各层级中心的 WISN 比之和（现有人员 ÷ 工作量所需人员）；低于 1 表示人手不足。",
        "Sum of the WISN ratios (staff ÷ staff the workload needs) of the grid's responsible "
        "centers, with today's staff; below 1 means understaffed.",
    ),
    "help.wisn_plan": (
        "按方案人员计算的、负责本网格的各层级中心的 WISN 比之和；低于 1 表示人手不足。",
        "Sum of the WISN ratios of the grid's responsible centers with the plan's staff; "
        "below 1 means understaffed.",
    ),
    "help.demand_per_1k": (
        "每千名常住人口的年服务需求时长：常住人口、老年人口和工单数分别乘以工作标准后相加。",
        "Yearly service demand per 1,000 residents: residents, elderly residents and work "
        "orders, each times its work standard.",
    ),
    "help.orders_per_1k": (
        "每千名常住人口的工单数（全部类别）。",
        "Work orders per 1,000 residents (all categories).",
    ),
    "help.orders_per_1k_category": (
        "每千名常住人口的该类别工单数。",
        "Work orders of this category per 1,000 residents.",
    ),
    "help.dist_street": (
        "网格中心点到最近的街道党群服务中心的直线距离。",
        "Straight-line distance from the grid's centroid to the nearest street center.",
    ),
    "help.dist_community": (
        "网格中心点到最近的社区党群服务中心的直线距离。",
        "Straight-line distance from the grid's centroid to the nearest community center.",
    ),
    "help.dist_grid": (
        "网格中心点到最近的网格服务站的直线距离。",
        "Straight-line distance from the grid's centroid to the nearest grid station.",
    ),
    "help.unreachable": (
        "没有任何中心的服务半径覆盖该网格，其需求无法得到服务。",
        "No center of any level has the grid within its service radius: its demand cannot "
        "be served.",
    ),
    "help.satisfaction": (
        "群众满意度调查的平均分（1–5 分）。",
        "Mean score of the residents' satisfaction survey (1–5).",
    ),
    "help.party_per_1k": (
        "每千名常住人口中的党员人数。",
        "Party members per 1,000 residents.",
    ),
    "help.key_families_per_1k": (
        "每千名常住人口对应的党员中心户数。",
        "Party-member key families per 1,000 residents.",
    ),
    "help.party_60plus_share": (
        "党员中 60 岁及以上的比例。",
        "Share of the party members who are aged 60 or over.",
    ),
    "help.baseline_coverage": (
        "按现有人员和经费，网格需求时长中能得到服务的比例。",
        "Share of the demand hours served with today's staff and funds.",
    ),
    "help.plan_coverage": (
        "按方案的人员和经费，网格需求时长中能得到服务的比例。",
        "Share of the demand hours served with the plan's staff and funds.",
    ),
    "help.coverage_change": (
        "方案覆盖率减去现状覆盖率（比较两个方案时为 B 减 "
        "A），单位为百分点；±0.5 个百分点以内视为无变化。",
        "Coverage under the plan minus coverage today (B minus A when two plans are "
        "compared), in percentage points; within ±0.5 points counts as no change.",
    ),
    "help.coverage": (
        "全区已服务时长占需求时长的比例。",
        "Served hours as a share of demand hours, district-wide.",
    ),
    "help.min_coverage": (
        "有中心覆盖的网格中，覆盖率最低的那个网格的覆盖率。",
        "The lowest coverage of any grid that some center reaches.",
    ),
    "help.grids_below_target": (
        "有服务需求、但覆盖率低于覆盖目标的网格数。",
        "Grids with demand whose coverage is below the coverage target.",
    ),
    "help.unreachable_grids": (
        "不在任何中心服务半径内的网格数；调整人员和经费无法改善它们。",
        "Grids outside every center's service radius; no staff or funds can reach them.",
    ),
    "help.staff_used": (
        "方案中各中心的工作人员合计。",
        "Staff at all centers in the plan, summed.",
    ),
    "help.funds_used_cny": (
        "方案中各中心的年度服务经费合计（元）。",
        "Yearly service funds at all centers in the plan, summed (CNY).",
    ),
    "help.staff_transfers": (
        "调出的人员合计：各中心人员减少数之和。",
        "Staff moved out: the sum of every center's decrease.",
    ),
    "help.coverage_gini": (
        "各网格覆盖率的基尼系数：0 表示完全均衡，越大越不均衡。",
        "Gini coefficient of grid coverage: 0 is perfectly even, higher is more uneven.",
    ),
    "help.demand_hours": (
        "全区一年的服务需求时长（按工作标准计算）。",
        "Yearly service demand of the district, in hours (from the work standards).",
    ),
    "help.served_hours": (
        "一年中得到服务的时长：工作人员、购买服务和社会组织（按评级折算）。",
        "Hours served a year: staff, purchased services and social organizations "
        "(weighted by rating).",
    ),
    "help.centers_changed": (
        "人员或经费与现状不同的中心数。",
        "Centers whose staff or funds differ from today.",
    ),
    "help.moved_staff": (
        "各中心人员增减的绝对值之和（人）。",
        "Every center's staff increase or decrease, summed as absolute values.",
    ),
    "help.moved_funds_cny": (
        "各中心经费增减的绝对值之和（元）。",
        "Every center's funds increase or decrease, summed as absolute values (CNY).",
    ),
    "help.grids": ("全区网格总数。", "Governance grids in the district."),
    "help.streets": ("网格所属的街道和镇的个数。", "Streets and towns the grids belong to."),
    "help.residents": ("各网格常住人口合计。", "Residents of all grids, summed."),
    "help.elderly_share": (
        "60 岁及以上人口占常住人口的比例。",
        "Residents aged 60 or over as a share of all residents.",
    ),
    "help.orders_per_1000": (
        "全区工单数 ÷ 常住人口 × 1000。",
        "Work orders ÷ residents × 1,000, district-wide.",
    ),
    "help.work_orders": (
        "数据中的全部工单（网格平台和 12345 热线）。",
        "All work orders in the data (grid platforms and the 12345 hotline).",
    ),
    "help.centers": (
        "街道、社区党群服务中心和网格服务站的总数。",
        "Street centers, community centers and grid stations together.",
    ),
    "help.staff": ("各中心现有工作人员合计。", "Today's staff at all centers, summed."),
    "help.funds": (
        "各中心现有年度服务经费合计（元），用于购买服务。",
        "Today's yearly service funds at all centers (CNY), which buy services.",
    ),
    "help.orgs": (
        "可提供服务时长的社会组织数；下方为各评级的个数。",
        "Social organizations that give service hours; their counts by rating below.",
    ),
    "help.objective": (
        "覆盖最大化：覆盖尽量多的需求时长；公平优先：先提高最"
        "低的网格覆盖率；成本最小化：以最低成本达到覆盖目标。",
        "Maximise coverage: serve as many demand hours as possible; equity: raise the lowest "
        "grid coverage first; least cost: reach the coverage target at the lowest cost.",
    ),
    "help.objective_coverage": (
        "在预算内覆盖尽量多的需求时长（按网格优先权重计）。",
        "Serve as many (priority-weighted) demand hours as the budgets allow.",
    ),
    "help.objective_equity": (
        "先让覆盖率最低的网格尽量高，再在此基础上覆盖尽量多的需求。",
        "Raise the lowest grid coverage as far as possible, then serve as many hours as possible.",
    ),
    "help.objective_cost": (
        "以最低的人员和经费成本让每个网格达到覆盖目标。",
        "Reach the coverage target in every grid at the lowest cost of staff and funds.",
    ),
    "help.staff_total": (
        "方案中全区工作人员总数的上限；留空表示不限。",
        "The most staff the plan may have in the district; leave empty for no limit.",
    ),
    "help.funds_total": (
        "方案中全区年度服务经费总额的上限（元）；留空表示不限。",
        "The most yearly service funds the plan may spend (CNY); leave empty for no limit.",
    ),
    "help.max_transfers": (
        "最多可从现有岗位调出的人数；留空表示不限。",
        "The most staff that may move out of their center; leave empty for no limit.",
    ),
    "help.max_funds_moved": (
        "各中心经费比现状减少的部分合计不超过此数（元）；新增经费不计。留空表示不限。",
        "In total, how far centers' funds may fall below today's (CNY); added funds do not "
        "count. Leave empty for no limit.",
    ),
    "help.min_funds": (
        "该层级每个中心至少保有的年度服务经费（元）。",
        "The least yearly service funds every center of this level keeps (CNY).",
    ),
    "help.radius": (
        "中心能服务的最远直线距离（米），到网格中心点计算；半径外的网格得不到该中心服务。",
        "How far a center serves, in metres to the grid's centroid; grids farther away get "
        "nothing from it.",
    ),
    "help.min_staff": (
        "该层级每个中心至少配置的工作人员数。",
        "The fewest staff every center of this level must have.",
    ),
    "help.coverage_target": (
        "成本最小化时每个网格须达到的覆盖率，也用于统计未达目标的网格。",
        "The coverage every grid must reach under the least-cost objective; grids below it "
        "are counted as below target.",
    ),
    "help.integer_staff": (
        "勾选后每个中心的人员为整数（求解更慢）；不勾选时可出现小数人员。",
        "Whole staff numbers at every center (slower to solve); otherwise staff may be fractional.",
    ),
    "help.work_hours": (
        "每名工作人员一年可提供的服务时长（小时），用于 WISN 需配人员。",
        "Service hours one staff member gives a year; also sets the WISN staff need.",
    ),
    "help.cost_per_hour": (
        "用经费购买一小时服务的价格（元）。",
        "What one hour of purchased service costs (CNY).",
    ),
    "help.wage": (
        "一名工作人员一年的成本（元），用于成本最小化和经费折算。",
        "What one staff member costs a year (CNY), for the least-cost objective.",
    ),
    "help.time_limit": (
        "求解器最长计算时间（秒），各求解阶段共用；超时的方案不作为最优方案展示：按整数配置人员时"
        "返回已找到的最好方案，标注“可行（未证明最优）”及差距，其他情形提示超时。求解中可随时取消。"
        "留空表示不限时（大型数据集可能很久）。",
        "The longest the solver may run (s), its stages together; a plan cut short is never "
        "shown as optimal: with whole staff numbers the best plan found comes back marked "
        "feasible, not proven optimal, with its gap, otherwise the plan is reported as not "
        "finished. A running solve can be cancelled. Leave empty for no limit (a large "
        "district may then take long).",
    ),
    "help.name": (
        "方案的名称，保存、比较和导出时用它区分方案；留空沿用默认名称。",
        "The scenario's name, used to tell plans apart when saving, comparing and exporting; "
        "leave empty to keep the default name.",
    ),
    "nav.glossary": ("术语表", "Glossary"),
    "gl.title": ("术语表 / Glossary", "Glossary / 术语表"),
    "gl.intro": (
        "本页解释仪表盘中的主要概念。各指标和输入框旁的 ⓘ 也有一句话说明。",
        "What the dashboard's main terms mean. The ⓘ next to each figure and field explains "
        "it in one line.",
    ),
    "gl.coverage.term": ("覆盖率", "Coverage"),
    "gl.coverage.text": (
        "网格一年的服务需求时长中得到服务的比例：已服务时长 ÷ 需求时长，最高 100%。需求按常住人口、"
        "老年人口和工单数乘以工作标准计算；服务来自服务"
        "半径内中心的工作人员和购买服务，以及社会组织。"
        "全区覆盖率是全部已服务时长 ÷ 全部需求时长。",
        "The share of a grid's yearly demand hours that is served: served hours ÷ demand hours, "
        "at most 100%. Demand is residents, elderly residents and work orders times the work "
        "standards; service comes from the staff and purchased services of the centers within "
        "reach, and from social organizations. District coverage is all served hours ÷ all "
        "demand hours.",
    ),
    "gl.wisn.term": ("WISN 需配人员与 WISN 比", "WISN staff need and ratio"),
    "gl.wisn.text": (
        "WISN（按工作量测算人员需求）：中心的工作量是它"
        "负责的网格的需求时长之和，需配人员 = 工作量 ÷ "
        "每人年工作时长。WISN 比 = 实际人员 ÷ 需配人员：低于 1 表示人手不足，高于 1 表示富余。"
        "每个网格在每一层级由服务半径内最近的中心负责。",
        "WISN (workload indicators of staffing need): a center's workload is the demand hours "
        "of the grids it is responsible for; its staff need = workload ÷ work hours per staff "
        "member. The WISN ratio = staff ÷ staff need: below 1 is understaffed, above 1 has "
        "staff to spare. At each level, the nearest center within reach is responsible for a "
        "grid.",
    ),
    "gl.stages.term": ("方案的三个求解阶段", "The three stages of a plan"),
    "gl.stages.text": (
        "1. 政策阶段：按所选目标（覆盖最大化、公平优先或成本最小化）求最优。\n"
        "2. 稳定阶段：在不降低第一阶段结果的前提下，尽量少调动人员和经费，"
        "使方案便于落实。\n"
        "3. 分配阶段：人员和经费固定后，让每个网格的服务由最近的、有能力的中心提供。",
        "1. Policy: the best plan for the chosen objective (coverage, equity or least cost).\n"
        "2. Stability: among plans just as good, the one that moves the fewest staff and funds, "
        "so that it can be carried out.\n"
        "3. Assignment: with staff and funds fixed, each grid is served by the nearest centers "
        "that can.",
    ),
    "gl.marginal.term": ("边际价值", "Marginal values"),
    "gl.marginal.text": (
        "放宽一项限制能多带来多少：例如人员预算多 1 人、经费"
        "多 1 万元或多允许调动 1 人，能多覆盖多少小时/年"
        "（按优先权重计）。预算未用满时边际价值为零。它只对最优方案计算，适用于小幅调整。",
        "What relaxing one limit is worth: how many more (priority-weighted) hours a year one "
        "more staff member in the budget, another 10,000 CNY or one more allowed transfer "
        "would cover. A budget that is not used up is worth nothing more. Computed for optimal "
        "plans only; valid for small changes.",
    ),
    "gl.priority.term": ("优先权重", "Priority"),
    "gl.priority.text": (
        "网格数据中的服务优先权重（默认 1.0）。覆盖最大化时，权重 1.5 的网格每小时服务计 1.5 小时，"
        "因此优先得到资源。",
        "A grid's service priority weight in the data (1.0 by default). When maximising "
        "coverage, an hour served in a grid of weight 1.5 counts as 1.5 hours, so such grids "
        "get resources first.",
    ),
    "gl.radius.term": ("服务半径", "Service radius"),
    "gl.radius.text": (
        "各层级中心能服务的最远直线距离（米），量到网格中心点。只有半径内的中心能为网格提供服务；"
        "不在任何中心半径内的网格为“服务半径外”，调整人员和经费也无法覆盖。",
        "How far a center of each level serves, in metres to the grid's centroid. Only centers "
        "within their radius can serve a grid; a grid outside every radius is out of reach, and "
        "no staff or funds can cover it.",
    ),
    "gl.rating.term": ("社会组织评级与质量系数", "Organization rating and quality"),
    "gl.rating.text": (
        "社会组织的服务时长按评级乘以质量系数折算为有效服务时长：{qualities}。"
        "例如 3A 组织的 100 小时计为 {example} 小时。",
        "An organization's hours count times the quality of its rating: {qualities}. "
        "For example, 100 hours of a 3A organization count as {example} hours.",
    ),
    "gl.dictionary": (
        "数据文件的每一列见“数据”页的数据字典。",
        "Every column of the data files is in the data dictionary on the Data page.",
    ),
    "da.dictionary": ("数据字典", "Data dictionary"),
    "da.dictionary_help": (
        "每个数据文件的列、类型、单位和取值范围（由数据规范生成）。",
        "Every data file's columns, types, units and ranges (generated from the schema).",
    ),
    "da.glossary_link": (
        "术语表：覆盖率、WISN、边际价值等",
        "Glossary: coverage, WISN, marginal values…",
    ),
    "rating.none": ("未评级", "not rated"),
    "map.no_change": ("无变化（±{band}个百分点）", "no change (±{band} points)"),
    "map.markers": ("点位", "Markers"),
    "map.selected": ("选中的网格", "Selected grid"),
    # ----- work-order counts and streamed logs -----
    "problem.several_files.counts": (
        "工单明细 {used} 与工单汇总 {ignored} 同时存在；使用明细，忽略汇总",
        "both the work-order log {used} and the counts {ignored} are here; "
        "the log is used and the counts ignored",
    ),
    "problem.several_files.counts.fix": (
        "若应使用汇总，请删除或移走 {used}；否则删除 {ignored}，以免混淆",
        "to use the counts, delete or move {used}; otherwise delete {ignored} to avoid confusion",
    ),
}


def as_lang(value: object) -> Lang:
    """``"en"`` for English, else ``"zh"`` (Chinese is the default language)."""
    return "en" if value == "en" else "zh"


def t(key: str, lang: Lang = "zh", /, **params: object) -> str:
    """Return the string ``key`` in ``lang`` (``zh`` or ``en``), formatted with ``params``.

    An unknown key returns the key itself so a missing string is visible, never a crash.
    """
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**params) if params else text


def fmt_num(value: float | None, lang: Lang = "zh", digits: int = 1) -> str:
    """Format a number with thousands separators; large values in 万 for Chinese."""
    if value is None or value != value:
        return "—"
    if lang != "en" and abs(value) >= 100_000:
        return f"{value / 10_000:,.{digits}f}万"
    return f"{value:,.{digits}f}"


def fmt_int(value: float | None, lang: Lang = "zh") -> str:
    """Format a whole number with thousands separators."""
    if value is None or value != value:
        return "—"
    if lang != "en" and abs(value) >= 100_000:
        return f"{value / 10_000:,.1f}万"
    return f"{round(value):,d}"


def fmt_staff(value: float | None, lang: Lang = "zh", digits: int = 1) -> str:
    """Format a head count: no decimals when whole (3, not 3.0), else ``digits`` of them."""
    if value is None or value != value:
        return "—"
    if abs(value - round(value)) < 0.5 * 10**-digits:
        return fmt_int(value, lang)
    return fmt_num(value, lang, digits)


def fmt_money(value: float | None, lang: Lang = "zh") -> str:
    """An amount of CNY short enough for a figure card: in 万 (zh) or millions (en) when large.

    ``13180000`` reads "1,318万" in Chinese and "13.18M" in English; below
    100,000 (zh) or 1,000,000 (en) the whole yuan, digits grouped.
    """
    if value is None or value != value:
        return "—"
    if lang == "en" and abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.2f}M"
    return fmt_num(value, lang, 0)


def _trimmed(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_cny(value: float | None, lang: Lang = "zh") -> str:
    """An amount of CNY to the yuan with digits grouped, also in 万元 (zh) or millions (en).

    ``13180000`` reads "13,180,000 元（1,318 万元）" in Chinese and
    "13,180,000 CNY (13.18 million)" in English.
    """
    if value is None or value != value:
        return "—"
    whole = f"{value:,.0f}"
    if lang == "en":
        big = f" ({_trimmed(value / 1_000_000)} million)" if abs(value) >= 1_000_000 else ""
        return f"{whole} CNY{big}"
    big = f"（{_trimmed(value / 10_000)} 万元）" if abs(value) >= 10_000 else ""
    return f"{whole} 元{big}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """Format a share (0.8) as a percentage (80.0%)."""
    if value is None or value != value:
        return "—"
    return f"{value * 100:.{digits}f}%"


# ----- problems in input --------------------------------------------------


def fmt_mb_pair(size: float | None, limit: float) -> tuple[str, str]:
    """A size and its limit (bytes) in MB, with the digits needed to tell them apart.

    The limit is shown with one decimal; the size with as many more as it takes
    for a size over the limit never to read like the limit itself.
    """
    mb = 1024 * 1024
    shown_limit = f"{limit / mb:,.1f}"
    if size is None:
        return "", shown_limit
    digits = 1
    while digits < 7 and size != limit and round(size / mb, digits) == round(limit / mb, 1):
        digits += 1
    return f"{size / mb:,.{digits}f}", shown_limit
