package chain

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhaoqing/attract/internal/platform/db"
)

// The chains a city starts with, editable afterwards: Zhaoqing's "366"
// clusters (new-energy vehicles, advanced equipment manufacturing, energy
// saving and environmental protection) and its other priority chains. A link
// is "name:codes:keywords" (codes and keywords separated by "|"); a link with
// sub-links lists them after ">" separated by ";".
type defaultChain struct {
	code, name, desc string
	segments         [3][]string // upstream, midstream, downstream links
}

var defaults = []defaultChain{
	{"nev", "新能源汽车", "“366”产业集群：整车、动力电池及关键零部件", [3][]string{
		{"锂电材料:2614|3985:正极材料|负极材料|电解液|隔膜", "有色金属:3240|3216:锂业|钴业", "电子元器件:3981|3982:连接器|线束"},
		{"动力电池:3841|3849:动力电池|锂电 > 电芯:3841:电芯; 电池模组:3849:电池模组|电池包", "电驱电控:3824:电驱|电控|驱动电机", "汽车零部件:3670:汽车零部件|车身|底盘", "智能座舱:3914:智能座舱|车载"},
		{"整车制造:3612:新能源汽车|整车", "充换电:3811:充电桩|换电", "电池回收:4220|4210:电池回收|再生资源"},
	}},
	{"equipment", "先进装备制造", "“366”产业集群：智能装备、通用专用设备", [3][]string{
		{"钢材与铸锻件:3130:钢铁|特钢|铸造", "液压与传动:3444:液压|传动"},
		{"数控机床:3421:机床|数控", "工业机器人:3499:机器人|自动化", "起重搬运设备:3431|3434:起重|输送", "风电装备:3415:风电|风机"},
		{"装备运维服务:3419:运维|检测"},
	}},
	{"eco", "节能环保", "“366”产业集群：环保装备、资源循环利用、节能服务", [3][]string{
		{"环保材料:2662|3089:环保材料|滤料"},
		{"环保装备:3591|3597:环保|水处理|除尘", "固废处理:7723|7724:固废|危废"},
		{"节能服务:7514:节能|合同能源", "再生资源:4220:再生资源|循环"},
	}},
	{"electronics", "电子信息", "电子元器件、集成电路、通信设备", [3][]string{
		{"半导体材料与设备:3985|3562:半导体材料|半导体设备"},
		{"集成电路:3973|3972:芯片|集成电路|半导体", "电子元件:3981|3989:电子元件|电感|电容", "电子电路:3982:电路板|线路板"},
		{"通信设备:3921|3922:通信|光通信", "光电子:3976:光电|LED"},
	}},
	{"metal", "金属加工", "铝型材、不锈钢、五金与表面处理", [3][]string{
		{"有色冶炼:3216|3240:冶炼|有色金属"},
		{"铝型材加工:3252:铝材|铝业|铝型材", "钢材压延:3130:钢材|不锈钢", "金属制品:3311|3340:五金|金属制品"},
		{"表面处理:3360:表面处理|热处理"},
	}},
	{"storage", "新型储能", "储能电池、光伏与风电、储能系统集成", [3][]string{
		{"储能材料:3985|2614:储能材料"},
		{"储能电池:3841|3849:储能|电池", "电力电子:3824:变流器|逆变器", "光伏设备:3825:光伏|太阳能"},
		{"新能源发电:4415|4416:风力发电|光伏电站", "储能系统集成:3811:储能系统|能源站"},
	}},
	{"building", "绿色建材", "新型墙材、装配式建筑、防水与玻璃", [3][]string{
		{"水泥与砂石:3021:水泥|砂石"},
		{"新型墙材:3024|3031:建材|墙材|装配式", "防水材料:3033:防水", "建筑玻璃:3041:玻璃"},
		{"装配式构件:3022:构件|装配式建筑"},
	}},
	{"materials", "新材料", "高分子、玻纤复合材料、碳材料、涂料", [3][]string{
		{"化工原料:2614|2651:化工|树脂"},
		{"高分子材料:2651|2659:高分子|塑料|新材料", "复合材料:3061|3062:玻纤|复合材料", "碳材料:3091:石墨|碳素"},
		{"涂料与专用化学品:2641|2662:涂料|化学品"},
	}},
}

// SeedDefaults adds the default chains a database does not have yet (by code).
func (s *Service) SeedDefaults(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := s.Now().UTC()
		for i, c := range defaults {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chains WHERE code = ?`, c.code).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO chains (code, name, description, sort, created_at, updated_at) VALUES (?,?,?,?,?,?) RETURNING id`,
				c.code, c.name, c.desc, i+1, now, now).Scan(&id); err != nil {
				return err
			}
			for si, links := range c.segments {
				seg, err := addNode(ctx, tx, id, nil, "segment", Stages[si], map[int]string{0: "上游", 1: "中游", 2: "下游"}[si], "", "", si+1)
				if err != nil {
					return err
				}
				for li, l := range links {
					main, subs, _ := strings.Cut(l, ">")
					name, codes, kws := parseLink(main)
					link, err := addNode(ctx, tx, id, &seg, "link", "", name, codes, kws, li+1)
					if err != nil {
						return err
					}
					if subs == "" {
						continue
					}
					for k, sub := range strings.Split(subs, ";") {
						name, codes, kws := parseLink(sub)
						if _, err := addNode(ctx, tx, id, &link, "link", "", name, codes, kws, k+1); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
}

func parseLink(s string) (name, codes, keywords string) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) != 3 {
		panic(fmt.Sprintf("chain defaults: bad link %q", s))
	}
	return parts[0], strings.ReplaceAll(parts[1], "|", ","), strings.ReplaceAll(parts[2], "|", ",")
}

func addNode(ctx context.Context, tx *db.Tx, chain int64, parent *int64, kind, stage, name, codes, keywords string, sort int) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO chain_nodes (chain_id, parent_id, kind, stage, name, industry_codes, keywords, sort)
		VALUES (?,?,?,?,?,?,?,?) RETURNING id`, chain, parent, kind, stage, name, codes, keywords, sort).Scan(&id)
	return id, err
}
