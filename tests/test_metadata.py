"""Document metadata in the layouts portals and offices produce."""

from __future__ import annotations

from policykg.extract.metadata import iso_date, parse_metadata, split_recipients
from policykg.extract.normalize import fold


def meta(text: str):
    return parse_metadata(text, fold(text))


def test_portal_header_layout():
    m = meta("示例市政府办公室印发关于推进示范建设的通知\n发布部门:示例市人民政府办公室\n发布时间:2019年03月08日\n"
             "政策文号:示府办〔2019〕21号\n各区人民政府:\n一、总体要求\n")
    assert (m.title, m.issuer, m.doc_number, m.published) == (
        "示例市政府办公室印发关于推进示范建设的通知", "示例市人民政府办公室", "示府办〔2019〕21号", "2019-03-08")
    assert m.recipients == ["各区人民政府"]


def test_signature_wins_over_the_portal_organ_and_joint_signers_stack():
    m = meta("标题: 关于印发工作方案的通知\n文号: 沪建〔2024〕5号\n发布单位: 上海市某管理局\n发布日期: 2024-05-10\n"
             "各有关单位:\n现将方案印发给你们。\n上海市住房和城乡建设管理委员会\n上海市发展和改革委员会\n2024年5月9日\n一、总体要求\n")
    assert m.issuer == "上海市住房和城乡建设管理委员会、上海市发展和改革委员会"
    assert (m.signed, m.published, m.doc_number) == ("2024-05-09", "2024-05-10", "沪建〔2024〕5号")


def test_bare_document_with_number_line_and_chinese_date():
    m = meta("示例县人民政府关于加强安全生产的意见\n示政发〔2020〕3号\n各乡镇人民政府：\n一、总体要求\n"
             "示例县人民政府\n二〇二〇年三月十二日\n")
    assert (m.title, m.doc_number, m.issuer, m.signed) == (
        "示例县人民政府关于加强安全生产的意见", "示政发〔2020〕3号", "示例县人民政府", "2020-03-12")


def test_cited_numbers_are_not_the_documents_own():
    m = meta("关于推进工作的实施意见\n根据《示例市人民政府关于某事的通知》（示府〔2016〕172号），"
             "提出如下意见。\n一、目标\n")
    assert m.doc_number is None


def test_recipients_keep_collectives_and_share_suffixes():
    assert split_recipients("各市、区人民政府,苏州工业园区、苏州高新区管委会;市各委办局,各直属单位") == [
        "各市、区人民政府", "苏州工业园区管委会", "苏州高新区管委会", "市各委办局", "各直属单位"]
    assert split_recipients("各区人民政府，市政府各委、办、局") == ["各区人民政府", "市政府各委、办、局"]


def test_iso_dates():
    assert iso_date("2017年06月21日") == "2017-06-21"
    assert iso_date("2023-8-3") == "2023-08-03"
    assert iso_date("二〇一七年六月二十日") == "2017-06-20"
    assert iso_date("2017年13月40日") is None
